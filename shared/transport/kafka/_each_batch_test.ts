import assert from "node:assert/strict";
import type { Batch as KafkaBatch, EachBatchPayload, OffsetsByTopicPartition } from "kafkajs";
import { createFakeClock } from "../../../testing/fake_clock.ts";
import type { Batch } from "../transport.ts";
import { createEachBatch } from "./_each_batch.ts";
import { createMemoryLogger } from "../../../testing/memory_logger.ts";

/** What kafkajs would see: offsets resolved and committed, heartbeats sent. */
function fakePayload(offsets: string[]) {
  const seen = { resolved: [] as string[], committed: [] as OffsetsByTopicPartition[], beats: 0 };
  const payload = {
    batch: {
      topic: "pc1",
      partition: 2,
      highWatermark: "25",
      messages: offsets.map((offset) => ({
        key: null,
        value: Buffer.from("{}"),
        timestamp: "0",
        attributes: 0,
        offset,
        headers: {},
      })),
    } as unknown as KafkaBatch,
    resolveOffset: (offset: string) => void seen.resolved.push(offset),
    heartbeat: () => (seen.beats++, Promise.resolve()),
    commitOffsetsIfNecessary: (offsets?: OffsetsByTopicPartition) => (
      seen.committed.push(offsets!), Promise.resolve()
    ),
  } as unknown as EachBatchPayload;
  return { payload, seen };
}

Deno.test("createEachBatch() commits the offset after the last message only once the handler resolved", async () => {
  const clock = createFakeClock(0);
  const release = Promise.withResolvers<void>();
  const got: Batch[] = [];
  const eachBatch = createEachBatch({
    handler: async (batch) => {
      got.push(batch);
      await release.promise;
    },
    clock,
    heartbeatMs: 100,
    log: createMemoryLogger(),
  });
  const { payload, seen } = fakePayload(["7", "8", "9"]);
  const running = eachBatch(payload);
  await clock.advance(0);
  assert.deepEqual(got[0]!.messages.map((m) => m.offset), ["7", "8", "9"]);
  assert.equal(got[0]!.messages[0]!.topic, "pc1");
  assert.equal(got[0]!.highWatermark, "25", "the partition's end, for the lag");
  assert.deepEqual(seen.committed, [], "nothing committed while the handler works");
  release.resolve();
  await running;
  assert.deepEqual(seen.resolved, ["9"]);
  assert.deepEqual(seen.committed, [{
    topics: [{ topic: "pc1", partitions: [{ partition: 2, offset: "10" }] }],
  }]);
});

Deno.test("createEachBatch() resolves and commits nothing when the handler throws", async () => {
  const log = createMemoryLogger();
  const eachBatch = createEachBatch({
    handler: () => Promise.reject(new TypeError("store down")),
    clock: createFakeClock(0),
    heartbeatMs: 100,
    log,
  });
  const { payload, seen } = fakePayload(["0", "1"]);
  const error = await eachBatch(payload).then(() => null, (e: Error) => e);
  assert.ok(error);
  assert.equal(error.name, "Error", "a plain Error, which kafkajs retries");
  assert.match(error.message, /pc1\[2\] 0\.\.1 failed: store down/);
  assert.deepEqual(seen.resolved, []);
  assert.deepEqual(seen.committed, []);
  assert.ok(log.lines.some((line) => /batch failed, not committed/.test(line)));
});

Deno.test("createEachBatch() heartbeats while a slow handler works", async () => {
  const clock = createFakeClock(0);
  const eachBatch = createEachBatch({
    handler: () => clock.sleep(1000),
    clock,
    heartbeatMs: 200,
    log: createMemoryLogger(),
  });
  const { payload, seen } = fakePayload(["0"]);
  const running = eachBatch(payload);
  await clock.advance(1000);
  await running;
  assert.ok(seen.beats >= 4, `expected at least 4 heartbeats in 1 s, got ${seen.beats}`);
  assert.equal(seen.committed.length, 1);
  const beats = seen.beats;
  await clock.advance(1000);
  assert.equal(seen.beats, beats, "no heartbeat after the batch");
});

Deno.test("createEachBatch() logs one failed heartbeat per batch and still commits", async () => {
  const log = createMemoryLogger();
  const eachBatch = createEachBatch({
    handler: async (batch) => {
      await batch.heartbeat();
      await batch.heartbeat();
    },
    clock: createFakeClock(0),
    heartbeatMs: 100,
    log,
  });
  const { payload, seen } = fakePayload(["5"]);
  payload.heartbeat = () => Promise.reject(new Error("The group is rebalancing"));
  await eachBatch(payload);
  assert.equal(log.lines.filter((line) => /heartbeat failed/.test(line)).length, 1);
  assert.equal(seen.committed.length, 1);
});
