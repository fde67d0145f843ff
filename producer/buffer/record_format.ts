import { crc32 } from "./crc32.ts";

/**
 * One record of a buffer segment file:
 *
 * | bytes | field                                             |
 * | ----- | ------------------------------------------------- |
 * | 4     | magic `SWB1`, to find the next record after damage |
 * | 4     | payload length, big-endian                         |
 * | 4     | CRC-32 of time + payload                           |
 * | 8     | time appended, ms since epoch (float64)            |
 * | n     | payload                                            |
 *
 * A power cut mid-write leaves a torn last record: its length runs past the
 * end of the file or its CRC does not match. It is skipped, and so is any
 * damaged stretch in the middle: reading resumes at the next magic whose
 * record checks out.
 */
export const MAGIC = 0x53574231;
export const HEADER_BYTES = 20;
/** Larger lengths are damage, not records (a reading is at most 16 KiB). */
export const MAX_PAYLOAD = 1024 * 1024;

export interface ParsedRecord {
  /** Where the record starts and ends within the parsed bytes. */
  start: number;
  end: number;
  time: number;
  payload: Uint8Array;
}

export function encodeRecord(time: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD) {
    throw new RangeError(
      `Cannot buffer: a record holds at most ${MAX_PAYLOAD} bytes, got ${payload.length}`,
    );
  }
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, payload.length);
  view.setFloat64(12, time);
  out.set(payload, HEADER_BYTES);
  view.setUint32(8, crc32(out.subarray(12)));
  return out;
}

export interface ParseResult {
  records: ParsedRecord[];
  /** How many bytes were dealt with; parsing goes on from here with more bytes. */
  consumed: number;
  /** Stretches of damaged bytes skipped (a torn tail is one). */
  damaged: number;
  damagedBytes: number;
}

/**
 * Parses records from `bytes`. When `atEnd` is false the bytes are a window
 * of a longer file, and an incomplete record at the end stops parsing
 * (`consumed` stays before it); at the end of the file it is a torn write
 * and is skipped. Stops after `limit` records.
 */
export function parseRecords(bytes: Uint8Array, atEnd: boolean, limit = Infinity): ParseResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: ParsedRecord[] = [];
  let damaged = 0;
  let damagedBytes = 0;
  let at = 0;
  let damageFrom = -1;
  const heal = (to: number) => {
    if (damageFrom >= 0) {
      damaged++;
      damagedBytes += to - damageFrom;
      damageFrom = -1;
    }
  };
  while (at < bytes.length && records.length < limit) {
    const check = checkAt(bytes, view, at, atEnd);
    if (check === "incomplete") break;
    if (check === "bad") {
      if (damageFrom < 0) damageFrom = at;
      const next = findMagic(bytes, at + 1);
      if (next < 0) {
        if (!atEnd) {
          at = Math.max(at + 1, bytes.length - 3);
          break;
        }
        at = bytes.length;
        heal(at);
        break;
      }
      at = next;
      continue;
    }
    heal(at);
    const length = view.getUint32(at + 4);
    records.push({
      start: at,
      end: at + HEADER_BYTES + length,
      time: view.getFloat64(at + 12),
      payload: bytes.slice(at + HEADER_BYTES, at + HEADER_BYTES + length),
    });
    at += HEADER_BYTES + length;
  }
  if (damageFrom >= 0 && atEnd && at >= bytes.length) heal(at);
  return {
    records,
    consumed: damageFrom >= 0 ? Math.min(at, damageFrom) : at,
    damaged,
    damagedBytes,
  };
}

function checkAt(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  atEnd: boolean,
): "ok" | "bad" | "incomplete" {
  const left = bytes.length - at;
  if (left < 4) return atEnd ? "bad" : "incomplete";
  if (view.getUint32(at) !== MAGIC) return "bad";
  if (left < HEADER_BYTES) return atEnd ? "bad" : "incomplete";
  const length = view.getUint32(at + 4);
  if (length > MAX_PAYLOAD) return "bad";
  if (left < HEADER_BYTES + length) return atEnd ? "bad" : "incomplete";
  const crc = crc32(bytes.subarray(at + 12, at + HEADER_BYTES + length));
  return crc === view.getUint32(at + 8) ? "ok" : "bad";
}

function findMagic(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (
      bytes[i] === 0x53 && bytes[i + 1] === 0x57 && bytes[i + 2] === 0x42 && bytes[i + 3] === 0x31
    ) {
      return i;
    }
  }
  return -1;
}
