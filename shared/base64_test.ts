import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "./base64.ts";

Deno.test("encodeBase64() and decodeBase64() round-trip every byte value", () => {
  const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256);
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  assert.equal(encodeBase64(new Uint8Array([0xff, 0x00])), "/wA=");
});
