import assert from "node:assert/strict";
import { frame, unframe } from "./confluent_framing.ts";

Deno.test("frame() and unframe() round-trip a payload with its schema id", () => {
  const payload = new TextEncoder().encode('{"a":1}');
  const framed = frame(0x01020304, payload);
  assert.deepEqual([...framed.subarray(0, 5)], [0, 1, 2, 3, 4]);
  assert.deepEqual(unframe(framed), { schemaId: 0x01020304, payload });
});

Deno.test("unframe() passes plain JSON through", () => {
  const payload = new TextEncoder().encode("{}");
  assert.deepEqual(unframe(payload), { schemaId: null, payload });
});

Deno.test("frame() rejects a schema id that does not fit 32 bits", () => {
  assert.throws(() => frame(-1, new Uint8Array()), /unsigned 32-bit/);
});
