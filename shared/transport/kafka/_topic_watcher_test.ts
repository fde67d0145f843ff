import assert from "node:assert/strict";
import { createFakeClock } from "../../../testing/fake_clock.ts";
import { silentLogger } from "../../log.ts";
import { watchTopics } from "./_topic_watcher.ts";
import { createMemoryLogger } from "../../../testing/memory_logger.ts";

function setup(topics: string[]) {
  const clock = createFakeClock(0);
  const takes: string[][] = [];
  const log = createMemoryLogger();
  const watcher = watchTopics({
    listTopics: () => Promise.resolve([...topics]),
    wanted: (t) => t === "pc1" || t.startsWith("dev."),
    take: (fresh) => (takes.push(fresh), Promise.resolve()),
    clock,
    intervalMs: 1000,
    log,
  });
  return { clock, takes, watcher, log };
}

Deno.test("watchTopics() takes the wanted topics on the first check, then only new ones", async (t) => {
  const topics = ["pc1", "dev.a", "other", "__consumer_offsets"];
  const { clock, takes, watcher, log } = setup(topics);
  await t.step("first check", async () => {
    assert.deepEqual(await watcher.check(), ["dev.a", "pc1"]);
    assert.deepEqual([...watcher.taken].sort(), ["dev.a", "pc1"]);
  });
  watcher.start();
  await t.step("nothing new: no take", async () => {
    await clock.advance(1000);
    assert.equal(takes.length, 1);
  });
  await t.step("a topic created later is taken on the next check", async () => {
    topics.push("dev.b", "unrelated");
    await clock.advance(1000);
    assert.deepEqual(takes.at(-1), ["dev.b"]);
    assert.ok(log.lines.some((line) => /new topics to consume topics=dev.b/.test(line)));
  });
  await watcher.stop();
  assert.equal(clock.pending, 0);
});

Deno.test("watchTopics() retries a failed take and logs a failing check once", async () => {
  const clock = createFakeClock(0);
  const log = createMemoryLogger();
  let listFails = 0;
  let takeFails = 1;
  const taken: string[][] = [];
  const watcher = watchTopics({
    listTopics: () =>
      listFails-- > 0 ? Promise.reject(new Error("broker down")) : Promise.resolve(["pc1"]),
    wanted: () => true,
    take: (fresh) =>
      takeFails-- > 0
        ? Promise.reject(new Error("cannot subscribe"))
        : (taken.push(fresh), Promise.resolve()),
    clock,
    intervalMs: 100,
    log,
  });
  await assert.rejects(watcher.check(), /cannot subscribe/);
  assert.equal(watcher.taken.size, 0, "a failed take takes nothing");
  listFails = 2;
  watcher.start();
  await clock.advance(300);
  assert.deepEqual(taken, [["pc1"]]);
  assert.equal(log.lines.filter((line) => /topic check failed/.test(line)).length, 1);
  assert.ok(log.lines.some((line) => /topic check works again/.test(line)));
  await watcher.stop();
});

Deno.test("watchTopics() checks its interval", () => {
  assert.throws(
    () =>
      watchTopics({
        listTopics: () => Promise.resolve([]),
        wanted: () => true,
        take: () => Promise.resolve(),
        clock: createFakeClock(0),
        intervalMs: 1,
        log: silentLogger,
      }),
    /'intervalMs' must be at least 10, got 1/,
  );
});
