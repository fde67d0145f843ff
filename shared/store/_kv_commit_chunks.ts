import type { Timed } from "./_kv_keys.ts";

/** Deno KV allows 100 checks per atomic commit: one per device of a chunk. */
const MAX_CHECKS = 100;
/** Deno KV allows 1,000 mutations per commit: one per reading and one per device. */
const MAX_MUTATIONS = 1000;
/**
 * Deno KV allows 800 KiB of mutations per commit: the rough estimate below
 * overstates a reading by about 1.7 times, so 700 KiB of it stays clear.
 */
const MAX_CHUNK_BYTES = 700 * 1024;
/** Deno KV allows 80 KiB of keys per commit; stay below. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * Splits readings into chunks that each fit one atomic commit: at most 100
 * devices (one check each), 1,000 mutations (one per reading and per
 * device), 700 KiB of values by a rough estimate and 64 KiB of keys. Given
 * readings sorted by device and time, each chunk writes neighbouring keys.
 */
export function* commitSizedChunks(items: readonly Timed[]): Generator<Timed[]> {
  let chunk: Timed[] = [];
  let devices = new Set<string>();
  let bytes = 0;
  let keyBytes = 0;
  for (const timed of items) {
    const { device, uuid } = timed.item.reading;
    const size = roughSize(timed.item);
    const newDevice = !devices.has(device);
    // A reading key, plus a summary key for a new device: names and about 30 bytes of framing.
    const keySize = 30 + device.length + uuid.length + (newDevice ? 20 + device.length : 0);
    const checks = devices.size + (newDevice ? 1 : 0);
    const mutations = chunk.length + 1 + checks;
    if (
      chunk.length > 0 &&
      (checks > MAX_CHECKS || mutations > MAX_MUTATIONS || bytes + size > MAX_CHUNK_BYTES ||
        keyBytes + keySize > MAX_KEY_BYTES)
    ) {
      yield chunk;
      chunk = [];
      devices = new Set();
      bytes = 0;
      keyBytes = 0;
    }
    chunk.push(timed);
    if (!devices.has(device)) keyBytes += 20 + device.length;
    devices.add(device);
    bytes += size;
    keyBytes += 30 + device.length + uuid.length;
  }
  if (chunk.length > 0) yield chunk;
}

export function sortedByKey(chunk: Timed[]): Timed[] {
  return chunk.sort((a, b) =>
    a.item.reading.device < b.item.reading.device
      ? -1
      : a.item.reading.device > b.item.reading.device
      ? 1
      : a.time - b.time
  );
}

/**
 * An upper estimate of the bytes a reading and its prediction take in a
 * commit, without serialising them (JSON.stringify of every item cost about
 * 5 % of the pipeline's time): 16 bytes per field and each string's length,
 * twice over for the summary and key.
 */
function roughSize(value: unknown): number {
  let bytes = 16;
  if (typeof value === "string") return bytes + 2 * value.length;
  if (value === null || typeof value !== "object") return bytes;
  if (Array.isArray(value)) {
    for (const element of value) bytes += roughSize(element);
    return bytes;
  }
  for (const name in value) {
    bytes += name.length + roughSize((value as Record<string, unknown>)[name]);
  }
  return bytes;
}
