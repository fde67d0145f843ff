import assert from "node:assert/strict";
import { createFakeClock } from "../testing/fake_clock.ts";
import { silentLogger } from "../shared/log.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import type { Alert } from "../shared/store/records.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Store } from "../shared/store/store.ts";
import { createInProcessTransport } from "../shared/transport/in_process_transport.ts";
import type { IncomingMessage } from "../shared/transport/transport.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { createConsumer } from "./create_consumer.ts";
import { createPipeline, type PipelineDeps } from "./create_pipeline.ts";
import { createStoreDeadLetterSink } from "./dead_letter_sink.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

const START = Date.parse("2026-01-31T12:00:00.000Z");

async function setup(overrides: Partial<PipelineDeps> = {}) {
  const store = createKvStore({ kv: await Deno.openKv(":memory:") });
  const clock = createFakeClock(START);
  const alerts: Alert[] = [];
  const notifier: Notifier = { notify: (alert) => (alerts.push(alert), Promise.resolve()) };
  const log = createMemoryLogger();
  const pipeline = createPipeline({
    store,
    scorer: createRuleScorer(),
    notifier,
    deadLetters: createStoreDeadLetterSink(store),
    clock,
    log,
    ...overrides,
  });
  return { store, clock, alerts, log, pipeline };
}

let offset = 0;
const messageOf = (value: Uint8Array | Reading, topic = "pc1"): IncomingMessage => ({
  topic,
  partition: 0,
  offset: String(offset++),
  key: topic,
  value: value instanceof Uint8Array ? value : encodeReading(value),
  timestamp: START,
});
const batchOf = (...messages: IncomingMessage[]) => ({
  messages,
  heartbeat: () => Promise.resolve(),
});

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("a reading sent through the in-process transport is stored with a status", async () => {
  const { store, clock, pipeline, alerts } = await setup();
  const transport = createInProcessTransport({ clock });
  const consumer = createConsumer({
    transport,
    pipeline,
    subscribe: { topics: [], topicPattern: /.*/, groupId: "g" },
    log: silentLogger,
  });
  await consumer.start();
  const reading = aPcReading({
    device: "pc1",
    timestamp: new Date(START).toISOString(),
    TemperatureCPUPackage: 60,
  });
  await transport.send([{ topic: "pc1", key: "pc1", value: encodeReading(reading) }]);
  await until(async () => (await store.getStatus("pc1")) !== null, "the status");
  const status = await store.getStatus("pc1");
  assert.deepEqual(status?.reading, reading);
  assert.equal(status?.prediction.model, "rule/v1");
  assert.equal(status?.prediction.scored_at, new Date(START).toISOString());
  assert.equal(status?.prediction.stressed_soon, false);
  assert.equal((await store.getDevice("pc1"))?.readings, 1);
  assert.deepEqual(alerts, []);
  await consumer.stop();
  await transport.close();
  await store.close();
});

Deno.test("createPipeline() alerts once when a device heats up, and stores the alert first", async () => {
  const { store, alerts, pipeline, clock } = await setup();
  const first = aPcReading({
    device: "pc1",
    timestamp: new Date(START).toISOString(),
    TemperatureCPUPackage: 70,
  });
  const readings = [
    first,
    ...[80, 86, 88, 89].map((t, i) => later(first, (i + 1) * 5, { TemperatureCPUPackage: t })),
  ];
  await clock.advance(25_000);
  const result = await pipeline.handleBatch(batchOf(...readings.map((r) => messageOf(r))));
  assert.deepEqual(result, { stored: 5, duplicates: 0, deadLetters: 0, alerts: 1 });
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.reading_uuid, readings[2]!.uuid);
  assert.deepEqual((await store.listAlerts({ limit: 5 })).items, alerts);
});

Deno.test("createPipeline() stores a redelivered batch once and does not alert twice", async () => {
  const { store, alerts, pipeline } = await setup();
  const hot = aPcReading({
    device: "pc1",
    timestamp: new Date(START).toISOString(),
    TemperatureCPUPackage: 89,
  });
  const batch = batchOf(messageOf(hot));
  await pipeline.handleBatch(batch);
  const again = await pipeline.handleBatch(batch);
  assert.deepEqual(again, { stored: 0, duplicates: 1, deadLetters: 0, alerts: 0 });
  assert.equal(alerts.length, 1);
  assert.equal((await store.getDevice("pc1"))?.readings, 1);
});

Deno.test("createPipeline() sends bad messages to dead letters and stores the good ones around them", async () => {
  const { store, pipeline, log } = await setup();
  const good = aRaspberryReading({ device: "raspberry", timestamp: new Date(START).toISOString() });
  const bad = messageOf(new TextEncoder().encode("{not json"), "raspberry");
  const result = await pipeline.handleBatch(batchOf(messageOf(good, "raspberry"), bad));
  assert.equal(result.stored, 1);
  assert.equal(result.deadLetters, 1);
  const letters = (await store.listDeadLetters({ limit: 5 })).items;
  assert.equal(letters.length, 1);
  assert.equal(letters[0]!.offset, bad.offset);
  assert.equal(atob(letters[0]!.value_base64), "{not json");
  assert.match(letters[0]!.error, /not JSON/);
  assert.ok(log.lines.some((line) => /message refused/.test(line)));
  assert.equal(pipeline.stats().dead_letters, 1);
});

Deno.test("createPipeline() fails the batch when the dead-letter sink fails, so nothing is committed", async () => {
  const { pipeline, store } = await setup({
    deadLetters: { send: () => Promise.reject(new Error("dlq down")) },
  });
  const good = aPcReading({ device: "pc1" });
  await assert.rejects(
    pipeline.handleBatch(batchOf(messageOf(good), messageOf(new Uint8Array([1])))),
    /dlq down/,
  );
  assert.equal(await store.getDevice("pc1"), null);
});

Deno.test("createPipeline() keeps the alert when the notifier fails", async () => {
  const { pipeline, store } = await setup({
    notifier: { notify: () => Promise.reject(new Error("telegram down")) },
  });
  const hot = aPcReading({
    device: "pc1",
    timestamp: new Date(START).toISOString(),
    TemperatureCPUPackage: 89,
  });
  const result = await pipeline.handleBatch(batchOf(messageOf(hot)));
  assert.equal(result.alerts, 1);
  assert.equal((await store.listAlerts({ limit: 5 })).items.length, 1);
  assert.equal(pipeline.stats().notify_failures, 1);
});

Deno.test("createPipeline() keeps the window its scorer asks for and seeds it from the store after a restart", async () => {
  const { store, clock } = await setup();
  const seen: number[] = [];
  const makePipeline = () =>
    createPipeline({
      store,
      scorer: {
        windowSize: 3,
        score: (inputs) => {
          seen.push(...inputs.map((i) => i.window.length));
          return Promise.resolve(
            inputs.map(() => ({ probability: 0, model: "test", reasons: [] })),
          );
        },
      },
      notifier: { notify: () => Promise.resolve() },
      deadLetters: createStoreDeadLetterSink(store),
      clock,
      log: silentLogger,
    });
  const first = aPcReading({ device: "pc9", timestamp: new Date(START).toISOString() });
  await makePipeline().handleBatch(batchOf(messageOf(first), messageOf(later(first, 5))));
  await makePipeline().handleBatch(batchOf(messageOf(later(first, 10))));
  await makePipeline().handleBatch(batchOf(messageOf(later(first, 15))));
  assert.deepEqual(seen, [1, 2, 3, 3], "never more than the scorer's 3");
});

Deno.test("createPipeline() checks its threshold", async () => {
  const { store } = await setup();
  assert.throws(
    () =>
      createPipeline({
        store: store as Store,
        scorer: createRuleScorer(),
        notifier: { notify: () => Promise.resolve() },
        deadLetters: createStoreDeadLetterSink(store),
        clock: createFakeClock(),
        log: silentLogger,
        options: { threshold: 0 },
      }),
    /'threshold' must be in \(0, 1\], got 0/,
  );
});

Deno.test("createPipeline() judges a model's score by the model's own threshold", async () => {
  const scorer = {
    windowSize: 1,
    score: (inputs: readonly unknown[]) =>
      Promise.resolve(
        inputs.map(() => ({ probability: 0.3, model: "pc@abc", reasons: [], threshold: 0.25 })),
      ),
  };
  const { store, pipeline, alerts } = await setup({ scorer, options: { threshold: 0.5 } });
  const reading = aPcReading({ device: "pc1", timestamp: new Date(START).toISOString() });
  await pipeline.handleBatch(batchOf(messageOf(reading)));
  const status = await store.getStatus("pc1");
  assert.equal(status?.prediction.threshold, 0.25);
  assert.equal(status?.prediction.stressed_soon, true);
  assert.equal(alerts.length, 1);
});

Deno.test("the pipeline keeps a misspelt field under extra and names it once per device", async () => {
  const { store, pipeline, log } = await setup();
  const misspelt = (seconds: number) => {
    const reading = aPcReading({
      device: "pc1",
      timestamp: new Date(START + seconds * 1000).toISOString(),
    });
    return new TextEncoder().encode(JSON.stringify({ ...reading, TemperatureCPUPackag: 91 }));
  };
  const first = await pipeline.handleBatch(batchOf(messageOf(misspelt(0))));
  await pipeline.handleBatch(batchOf(messageOf(misspelt(5))));
  assert.equal(first.deadLetters, 0, "not refused");
  const page = await store.listReadings("pc1", { limit: 10 });
  assert.equal(page.items.length, 2);
  assert.ok(page.items.every((r) => r.extra?.TemperatureCPUPackag === 91), "stored, not dropped");
  const named = log.lines.filter((l) => /unknown field kept under extra/.test(l));
  assert.equal(named.length, 1, log.lines.join("\n"));
  assert.match(
    named[0]!,
    /device=pc1 field=TemperatureCPUPackag .*did_you_mean=TemperatureCPUPackage/,
  );
});
