import assert from "node:assert/strict";
import { createFakeClock } from "./fake_clock.ts";

Deno.test("createFakeClock() wakes sleepers in time order as it advances", async () => {
  const clock = createFakeClock(0);
  const woke: string[] = [];
  clock.sleep(300).then(() => woke.push(`b@${clock.now()}`));
  clock.sleep(100).then(() => woke.push(`a@${clock.now()}`));
  await clock.advance(200);
  assert.deepEqual(woke, ["a@100"]);
  assert.equal(clock.now(), 200);
  await clock.advance(200);
  assert.deepEqual(woke, ["a@100", "b@300"]);
  assert.equal(clock.now(), 400);
});

Deno.test("createFakeClock() rejects a sleep when its signal aborts", async () => {
  const clock = createFakeClock(0);
  const controller = new AbortController();
  const sleep = clock.sleep(1000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(sleep, /stop/);
  assert.equal(clock.pending, 0);
});

Deno.test("createFakeClock().tick() jumps to the next sleeper", async () => {
  const clock = createFakeClock(0);
  let done = false;
  clock.sleep(5000).then(() => (done = true));
  assert.equal(await clock.tick(), true);
  assert.equal(done, true);
  assert.equal(clock.now(), 5000);
  assert.equal(await clock.tick(), false);
});
