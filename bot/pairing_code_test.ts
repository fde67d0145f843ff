import assert from "node:assert/strict";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createPairing } from "./pairing_code.ts";

const TTL = 15 * 60_000;
const start = Date.parse("2026-01-31T12:00:00.000Z"); // a window boundary for 15 min

Deno.test("createPairing(): 12 digits in three groups, the same in every instance with the same token", () => {
  const clock = createFakeClock(start + 60_000);
  const one = createPairing({ secret: "123:abc", ttlMs: TTL, clock });
  const other = createPairing({ secret: "123:abc", ttlMs: TTL, clock });
  const code = one.current();
  assert.match(code.code, /^\d{4}-\d{4}-\d{4}$/);
  assert.deepEqual(other.current(), code, "another isolate derives the same code");
  assert.ok(other.verify(code.code), "and accepts the first one's code");
  assert.equal(one.deepLinkPayload(code), code.code.replaceAll("-", ""));
  assert.notEqual(
    createPairing({ secret: "123:other", ttlMs: TTL, clock }).current().code,
    code.code,
    "another bot token gives another code",
  );
});

Deno.test("createPairing(): a code is accepted in its window and the next, then expires", async () => {
  const clock = createFakeClock(start + 60_000);
  const pairing = createPairing({ secret: "123:abc", ttlMs: TTL, clock });
  const code = pairing.current();
  assert.equal(code.expiresAt, start + 2 * TTL);
  assert.ok(pairing.verify(code.code));
  assert.ok(pairing.verify(code.code.replaceAll("-", "")), "without dashes");
  assert.ok(pairing.verify(` ${code.code.replaceAll("-", " ")} `), "with spaces");
  await clock.advance(TTL); // the next window
  assert.ok(pairing.verify(code.code), "still valid in the next window");
  assert.notEqual(pairing.current().code, code.code, "a new code is printed now");
  await clock.advance(TTL - 60_000 - 1); // 1 ms before expiresAt
  assert.equal(clock.now(), code.expiresAt - 1);
  assert.ok(pairing.verify(code.code));
  await clock.advance(1);
  assert.ok(!pairing.verify(code.code), "expired at expiresAt");
});

Deno.test("createPairing(): refuses wrong codes, other lengths and non-digits; checks its options", () => {
  const clock = createFakeClock(start);
  const pairing = createPairing({ secret: "123:abc", ttlMs: TTL, clock });
  const digits = pairing.current().code.replaceAll("-", "");
  const wrong = `${digits.slice(0, 11)}${(Number(digits[11]) + 1) % 10}`;
  for (const input of [wrong, digits.slice(0, 11), `${digits}0`, "abcd-efgh-ijkl", "", "💥"]) {
    assert.equal(pairing.verify(input), false, input);
  }
  assert.throws(() => createPairing({ secret: "", ttlMs: TTL, clock }), /'secret' is empty/);
  assert.throws(
    () => createPairing({ secret: "x", ttlMs: 1000, clock }),
    /'ttlMs' must be a whole number of ms, at least 60000, got 1000/,
  );
});
