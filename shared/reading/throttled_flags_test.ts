import assert from "node:assert/strict";
import { PI4_UNDER_VOLTAGE_FLAGS } from "../../testing/a_reading.ts";
import {
  decodeThrottled,
  hasThrottledFlag,
  isThrottledNow,
  throttledBits,
} from "./throttled_flags.ts";

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

Deno.test("hasThrottledFlag() reads one named bit", () => {
  assert.equal(hasThrottledFlag("0x50005", "under_voltage"), true);
  assert.equal(hasThrottledFlag("0x50005", "arm_frequency_capped"), false);
  assert.equal(hasThrottledFlag("0x50000", "under_voltage_occurred"), true);
  assert.equal(hasThrottledFlag("0x40000", "under_voltage_occurred"), false);
});

Deno.test("throttledBits() parses the hex value and refuses anything else", () => {
  assert.equal(throttledBits("0x50005"), 0x50005);
  assert.equal(throttledBits("0xE0008"), 0xe0008);
  for (const bad of ["50005", "0x", "0x5z", "0x123456789", "throttled=0x5"]) {
    assert.throws(() => throttledBits(bad), /expected 0x followed by hex digits/, bad);
  }
  assert.throws(() => isThrottledNow("0xzz"), RangeError, "isThrottledNow() refuses it too");
});
