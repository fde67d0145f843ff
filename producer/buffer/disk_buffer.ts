import type { Clock } from "../../shared/clock.ts";
import type { Logger } from "../../shared/log.ts";
import { before, type Position, readCursor, saveCursor } from "./cursor.ts";
import { encodeRecord } from "./record_format.ts";
import { readSegment } from "./segment_reader.ts";

export interface DiskBufferOptions {
  /** Folder of the segment files; created if missing. */
  dir: string;
  /** Most bytes kept on disk; past it the oldest segment is dropped. Default 160 MiB. */
  maxBytes?: number;
  /** Records older than this are dropped. Default 7 days. */
  maxAgeMs?: number;
  /** Size at which a segment file is closed and a new one started. Default maxBytes / 32, at most 4 MiB. */
  segmentBytes?: number;
  /** fdatasync after each append, so a power cut loses at most the record being written. Default true. */
  sync?: boolean;
  clock: Clock;
  log: Logger;
}

export const DISK_BUFFER_DEFAULTS = {
  maxBytes: 160 * 1024 * 1024,
  maxAgeMs: 7 * 24 * 3600 * 1000,
};

/** A record handed out by `peek`. */
export interface BufferedRecord {
  payload: Uint8Array;
  /** When it was appended, ms since epoch. */
  time: number;
}

/** What `peek` found: the records, and how far a `commit` of them moves. */
export interface BufferBatch {
  readonly records: readonly BufferedRecord[];
  readonly end: Position;
  /** Records covered per segment (returned ones and expired ones skipped). */
  readonly covered: ReadonlyMap<number, number>;
}

export interface DiskBufferStats {
  /** Records waiting. */
  records: number;
  /** Bytes on disk. */
  bytes: number;
  segments: number;
  /** Records dropped because the buffer was full or they were too old. */
  dropped: number;
  /** Damaged stretches skipped (torn writes). */
  damaged: number;
}

export interface DiskBuffer {
  /** Appends records, oldest first, durably (see `sync`). */
  append(payloads: readonly Uint8Array[]): Promise<void>;
  /** Up to `max` of the oldest records not yet committed; expired ones are dropped on the way. */
  peek(max: number): Promise<BufferBatch>;
  /** Forgets the records of a batch: they were delivered. */
  commit(batch: BufferBatch): Promise<void>;
  /** Records waiting. */
  readonly size: number;
  stats(): DiskBufferStats;
  close(): Promise<void>;
}

interface Segment {
  seq: number;
  path: string;
  /** Bytes on disk. */
  bytes: number;
  /** Records not yet delivered. */
  count: number;
  /** Time of the newest record. */
  newest: number;
}

const SEGMENT = /^(\d{16})\.seg$/;
const segmentName = (seq: number) => `${String(seq).padStart(16, "0")}.seg`;

/**
 * Opens the disk buffer in `dir`: append-only segment files of checksummed
 * records (see record_format.ts) and a `cursor` file saying how far they
 * were delivered. Bounded in bytes and age; the oldest records go first and
 * are counted. It survives restarts: what was appended and not committed is
 * handed out again, oldest first; a torn last record is skipped. A crash
 * between a delivery and its commit hands that batch out once more
 * (at-least-once; the consumer stores idempotently on the reading uuid).
 */
export async function openDiskBuffer(options: DiskBufferOptions): Promise<DiskBuffer> {
  const { dir, clock, log } = options;
  const maxBytes = options.maxBytes ?? DISK_BUFFER_DEFAULTS.maxBytes;
  const maxAgeMs = options.maxAgeMs ?? DISK_BUFFER_DEFAULTS.maxAgeMs;
  const segmentBytes = options.segmentBytes ?? Math.min(4 * 1024 * 1024, Math.floor(maxBytes / 32));
  const sync = options.sync ?? true;
  if (!Number.isFinite(maxBytes) || maxBytes < 64 * 1024) {
    throw new RangeError(`Cannot open buffer: 'maxBytes' must be at least 65536, got ${maxBytes}`);
  }
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 1000) {
    throw new RangeError(`Cannot open buffer: 'maxAgeMs' must be at least 1000, got ${maxAgeMs}`);
  }
  if (!Number.isFinite(segmentBytes) || segmentBytes < 1024 || segmentBytes > maxBytes / 2) {
    throw new RangeError(
      `Cannot open buffer: 'segmentBytes' must be from 1024 to maxBytes / 2 (${
        maxBytes / 2
      }), got ${segmentBytes}`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  const cursorPath = `${dir}/cursor`;
  let cursor = await readCursor(cursorPath, log);
  const segments: Segment[] = [];
  let dropped = 0;
  let damaged = 0;

  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (SEGMENT.test(entry.name)) names.push(entry.name);
  names.sort();
  for (const name of names) {
    const seq = Number(SEGMENT.exec(name)![1]);
    const path = `${dir}/${name}`;
    if (seq < cursor.segment) {
      await Deno.remove(path);
      continue;
    }
    const read = await readSegment(path, seq === cursor.segment ? cursor.offset : 0, Infinity);
    const bytes = (await Deno.stat(path)).size;
    if (read.damaged > 0) {
      damaged += read.damaged;
      log.warn("skipped damaged buffer records (torn write?)", {
        segment: name,
        stretches: read.damaged,
        bytes: read.damagedBytes,
      });
    }
    segments.push({
      seq,
      path,
      bytes,
      count: read.records.length,
      newest: read.records.reduce((newest, r) => Math.max(newest, r.time), 0),
    });
  }
  // Appends always go to a new segment: an old one may end in a torn record.
  let active: { segment: Segment; file: Deno.FsFile } | null = null;
  let nextSeq = Math.max(cursor.segment, ...segments.map((s) => s.seq)) + 1;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(() => {
      if (closed) throw new Error("Cannot use the disk buffer: it is closed");
      return work();
    });
    queue = run.catch(() => {});
    return run;
  };
  const size = () => segments.reduce((sum, s) => sum + s.count, 0);
  const bytesOnDisk = () => segments.reduce((sum, s) => sum + s.bytes, 0);

  const removeSegment = async (segment: Segment) => {
    if (active?.segment === segment) {
      active.file.close();
      active = null;
    }
    segments.splice(segments.indexOf(segment), 1);
    await Deno.remove(segment.path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  };

  const enforceBounds = async () => {
    const cutoff = clock.now() - maxAgeMs;
    while (segments.length > 1 && (bytesOnDisk() > maxBytes || segments[0]!.newest < cutoff)) {
      const oldest = segments[0]!;
      const why = bytesOnDisk() > maxBytes ? "buffer full" : "older than the age limit";
      await removeSegment(oldest);
      if (oldest.count > 0) {
        dropped += oldest.count;
        log.warn(`${why}: dropped the oldest buffered readings`, {
          dropped: oldest.count,
          dropped_total: dropped,
        });
      }
    }
  };

  const writeCursor = async (position: Position) => {
    cursor = position;
    await saveCursor(cursorPath, position);
  };

  const forget = async (batch: BufferBatch) => {
    for (const [seq, n] of batch.covered) {
      const segment = segments.find((s) => s.seq === seq);
      if (segment) segment.count = Math.max(0, segment.count - n);
    }
    if (before(cursor, batch.end)) await writeCursor(batch.end);
    for (const segment of [...segments]) {
      if (segment.count === 0 && segment !== active?.segment) await removeSegment(segment);
    }
  };

  return {
    append(payloads) {
      return serial(async () => {
        const time = clock.now();
        for (const payload of payloads) {
          if (!active || active.segment.bytes >= segmentBytes) {
            active?.file.close();
            const segment: Segment = {
              seq: nextSeq++,
              path: `${dir}/${segmentName(nextSeq - 1)}`,
              bytes: 0,
              count: 0,
              newest: time,
            };
            const file = await Deno.open(segment.path, { create: true, append: true });
            segments.push(segment);
            active = { segment, file };
          }
          const record = encodeRecord(time, payload);
          await writeAll(active.file, record);
          if (sync) await active.file.syncData();
          active.segment.bytes += record.length;
          active.segment.count++;
          active.segment.newest = time;
        }
        await enforceBounds();
      });
    },

    peek(max) {
      return serial(async () => {
        const cutoff = clock.now() - maxAgeMs;
        while (true) {
          const records: BufferedRecord[] = [];
          const covered = new Map<number, number>();
          let end = cursor;
          let expired = 0;
          for (const segment of segments) {
            if (records.length >= max) break;
            if (segment.count === 0) continue;
            const from = segment.seq === cursor.segment ? cursor.offset : 0;
            const read = await readSegment(segment.path, from, max - records.length);
            if (read.records.length === 0) {
              log.error("buffer segment holds fewer records than counted; skipping it", {
                segment: segment.path,
                counted: segment.count,
              });
              segment.count = 0;
              continue;
            }
            for (const r of read.records) {
              covered.set(segment.seq, (covered.get(segment.seq) ?? 0) + 1);
              if (r.time < cutoff) expired++;
              else records.push({ payload: r.payload, time: r.time });
            }
            end = { segment: segment.seq, offset: read.next };
          }
          const batch: BufferBatch = { records, end, covered };
          if (expired > 0) {
            dropped += expired;
            log.warn("dropped buffered readings older than the age limit", {
              dropped: expired,
              dropped_total: dropped,
            });
          }
          if (records.length > 0 || covered.size === 0) return batch;
          await forget(batch);
        }
      });
    },

    commit(batch) {
      return serial(() => forget(batch));
    },

    get size() {
      return size();
    },

    stats: () => ({
      records: size(),
      bytes: bytesOnDisk(),
      segments: segments.length,
      dropped,
      damaged,
    }),

    async close() {
      await serial(() => Promise.resolve());
      closed = true;
      active?.file.close();
      active = null;
    },
  };
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}
