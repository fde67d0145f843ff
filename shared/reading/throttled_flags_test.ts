import assert from "node:assert/strict";
import { decodeThrottled, isThrottledNow } from "./throttled_flags.ts";

Deno.test("decodeThrottled() decodes a Pi 4 throttling under low voltage (0x50005)", () => {
  assert.deepEqual(decodeThrottled("0x50005"), {
    under_voltage: true,
    arm_frequency_capped: false,
    throttled: true,
    soft_temperature_limit: false,
    under_voltage_occurred: true,
    arm_frequency_capped_occurred: false,
    throttled_occurred: true,
    soft_temperature_limit_occurred: false,
  });
});

Deno.test("decodeThrottled() rejects a value that is not hex", () => {
  assert.throws(() => decodeThrottled("50005"), /expected 0x/);
});

Deno.test("isThrottledNow() looks only at bits 0-3", () => {
  assert.equal(isThrottledNow("0x0"), false);
  assert.equal(isThrottledNow("0x50000"), false);
  assert.equal(isThrottledNow("0x8"), true);
});
