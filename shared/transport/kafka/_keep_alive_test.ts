import assert from "node:assert/strict";
import { createFakeClock } from "../../../testing/fake_clock.ts";
import { keepAlive } from "./_keep_alive.ts";

Deno.test("keepAlive() beats every interval until stopped", async () => {
  const clock = createFakeClock(0);
  const beats: number[] = [];
  const alive = keepAlive({
    beat: () => (beats.push(clock.now()), Promise.resolve()),
    clock,
    intervalMs: 200,
    onError: () => assert.fail("no error expected"),
  });
  await clock.advance(650);
  assert.deepEqual(beats, [200, 400, 600]);
  await alive.stop();
  await clock.advance(1000);
  assert.deepEqual(beats, [200, 400, 600], "no beat after stop()");
  assert.equal(clock.pending, 0);
});

Deno.test("keepAlive() reports a failed heartbeat and keeps beating", async () => {
  const clock = createFakeClock(0);
  const errors: string[] = [];
  let calls = 0;
  const alive = keepAlive({
    beat: () => ++calls === 1 ? Promise.reject(new Error("rebalancing")) : Promise.resolve(),
    clock,
    intervalMs: 100,
    onError: (error) => errors.push(error.message),
  });
  await clock.advance(300);
  assert.equal(calls, 3);
  assert.deepEqual(errors, ["rebalancing"]);
  await alive.stop();
});

Deno.test("keepAlive() checks its interval", () => {
  assert.throws(
    () =>
      keepAlive({
        beat: () => Promise.resolve(),
        clock: createFakeClock(0),
        intervalMs: 0,
        onError: () => {},
      }),
    /'intervalMs' must be at least 10, got 0/,
  );
});
