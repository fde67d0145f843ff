import assert from "node:assert/strict";
import { PI4_UNDER_VOLTAGE_FLAGS } from "../../testing/a_reading.ts";
import { decodeThrottled, isThrottledNow } from "./throttled_flags.ts";

Deno.test("decodeThrottled() decodes a Pi 4 throttling under low voltage (0x50005)", () => {
  assert.deepEqual(decodeThrottled("0x50005"), PI4_UNDER_VOLTAGE_FLAGS);
});

Deno.test("decodeThrottled() rejects a value that is not hex", () => {
  assert.throws(() => decodeThrottled("50005"), /expected 0x/);
});

Deno.test("isThrottledNow() looks only at bits 0-3", () => {
  assert.equal(isThrottledNow("0x0"), false);
  assert.equal(isThrottledNow("0x50000"), false);
  assert.equal(isThrottledNow("0x8"), true);
});
