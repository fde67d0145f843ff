import { type ParsedRecord, parseRecords } from "./record_format.ts";

const WINDOW = 256 * 1024;

export interface SegmentRead {
  records: ParsedRecord[];
  /** Where the next read starts (the end of the file when everything was read). */
  next: number;
  damaged: number;
  damagedBytes: number;
}

/**
 * Reads up to `limit` records of a segment file from byte `from`, in
 * windows, so a large segment is never read whole. Offsets are file offsets.
 */
export async function readSegment(path: string, from: number, limit: number): Promise<SegmentRead> {
  using file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  const out: SegmentRead = { records: [], next: from, damaged: 0, damagedBytes: 0 };
  let window = WINDOW;
  while (out.records.length < limit && out.next < size) {
    const length = Math.min(window, size - out.next);
    const bytes = await readAt(file, out.next, length);
    const atEnd = out.next + length >= size;
    const parsed = parseRecords(bytes, atEnd, limit - out.records.length);
    for (const r of parsed.records) {
      out.records.push({ ...r, start: r.start + out.next, end: r.end + out.next });
    }
    out.damaged += parsed.damaged;
    out.damagedBytes += parsed.damagedBytes;
    if (parsed.consumed === 0 && !atEnd) {
      // One record (or a damaged stretch) is larger than the window.
      window = Math.min(window * 2, size - out.next);
      continue;
    }
    out.next += parsed.consumed;
    window = WINDOW;
  }
  return out;
}

async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const n = await file.read(bytes.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}
