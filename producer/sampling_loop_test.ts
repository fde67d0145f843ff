import assert from "node:assert/strict";
import { createFakeClock } from "../testing/fake_clock.ts";
import { silentLogger } from "../shared/log.ts";
import { createSamplingLoop } from "./sampling_loop.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

Deno.test("createSamplingLoop() samples on a fixed 5 s rhythm", async () => {
  const clock = createFakeClock(0);
  const times: number[] = [];
  const loop = createSamplingLoop({
    intervalMs: 5000,
    clock,
    log: silentLogger,
    sample: async (due) => {
      times.push(due);
      await clock.sleep(300);
    },
  });
  const stop = new AbortController();
  const running = loop.run(stop.signal);
  await clock.advance(20_100);
  stop.abort();
  await clock.advance(1000);
  await running;
  assert.deepEqual(times, [0, 5000, 10000, 15000, 20000]);
});

Deno.test("createSamplingLoop() skips ticks a slow sample runs past, never overlapping", async () => {
  const clock = createFakeClock(0);
  const times: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const loop = createSamplingLoop({
    intervalMs: 1000,
    clock,
    log: silentLogger,
    sample: async (due) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      times.push(due);
      await clock.sleep(due === 1000 ? 2500 : 10);
      running--;
    },
  });
  const stop = new AbortController();
  const done = loop.run(stop.signal);
  await clock.advance(6000);
  stop.abort();
  await clock.advance(100);
  await done;
  assert.deepEqual(times, [0, 1000, 4000, 5000, 6000]);
  assert.equal(maxRunning, 1);
  assert.equal(loop.stats().skipped, 2);
});

Deno.test("createSamplingLoop() logs a run of failures once and keeps going", async () => {
  const clock = createFakeClock(0);
  const log = createMemoryLogger();
  let calls = 0;
  const loop = createSamplingLoop({
    intervalMs: 1000,
    clock,
    log,
    sample: () => (++calls <= 3 ? Promise.reject(new Error("sensor gone")) : Promise.resolve()),
  });
  const stop = new AbortController();
  const done = loop.run(stop.signal);
  await clock.advance(4000);
  stop.abort();
  await done;
  assert.deepEqual(loop.stats(), { samples: 2, failures: 3, skipped: 0 });
  assert.equal(log.lines.filter((l) => /sample failed/.test(l)).length, 1);
  assert.equal(log.lines.filter((l) => /sampling recovered/.test(l)).length, 1);
});

Deno.test("createSamplingLoop() checks its interval", () => {
  assert.throws(
    () =>
      createSamplingLoop({
        intervalMs: 10,
        clock: createFakeClock(),
        log: silentLogger,
        sample: () => Promise.resolve(),
      }),
    /'intervalMs' must be at least 100, got 10/,
  );
});
