import assert from "node:assert/strict";
import { crc32 } from "./crc32.ts";
import { encodeRecord, HEADER_BYTES, parseRecords } from "./record_format.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("crc32() matches the IEEE check value", () => {
  assert.equal(crc32(bytes("123456789")), 0xcbf43926);
});

Deno.test("parseRecords() stops before a record cut by the window, and skips it at the end of the file", () => {
  const a = encodeRecord(1, bytes("aaaa"));
  const b = encodeRecord(2, bytes("bbbb"));
  const both = new Uint8Array([...a, ...b]).subarray(0, a.length + HEADER_BYTES + 2);
  const window = parseRecords(both, false);
  assert.deepEqual([window.records.length, window.consumed, window.damaged], [1, a.length, 0]);
  const atEnd = parseRecords(both, true);
  assert.deepEqual([atEnd.records.length, atEnd.consumed, atEnd.damaged], [1, both.length, 1]);
});

Deno.test("encodeRecord() refuses a payload over 1 MiB", () => {
  assert.throws(() => encodeRecord(0, new Uint8Array(1024 * 1024 + 1)), /at most 1048576 bytes/);
});
