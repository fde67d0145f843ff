import assert from "node:assert/strict";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import type { Store } from "../shared/store/store.ts";
import type { IncomingMessage } from "../shared/transport/transport.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { anAlert } from "../testing/an_alert.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { createConsumerMetrics, MIXED_TOPICS } from "./consumer_metrics.ts";
import { createPipeline } from "./create_pipeline.ts";
import { createStoreDeadLetterSink } from "./dead_letter_sink.ts";

const START = Date.parse("2026-01-31T12:00:00.000Z");

const messagesOf = (topic: string, values: (Reading | Uint8Array)[], from = 0) =>
  values.map((value, i): IncomingMessage => ({
    topic,
    partition: 3,
    offset: String(from + i),
    key: topic,
    value: value instanceof Uint8Array ? value : encodeReading(value),
    timestamp: 0,
  }));

/** The value of one sample line of the text format, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function setUp(store: Store) {
  const metrics = createConsumerMetrics();
  const clock = createFakeClock(START);
  const wrapped = metrics.store(store);
  const pipeline = metrics.pipeline(createPipeline({
    store: wrapped,
    scorer: metrics.scorer(createRuleScorer()),
    notifier: { notify: () => Promise.resolve() },
    deadLetters: createStoreDeadLetterSink(wrapped),
    clock,
    log: createMemoryLogger(),
  }));
  return { metrics, pipeline, clock, store: wrapped };
}

Deno.test("consumer metrics count each topic's readings, time batches and scoring, and say the lag", async () => {
  await using store = await aStoreWith();
  const { metrics, pipeline, clock } = setUp(store);
  const first = aPcReading({ device: "pc1", timestamp: new Date(START).toISOString() });
  const heatUp = [
    first,
    ...[80, 86, 88, 89].map((t, i) => later(first, (i + 1) * 5, { TemperatureCPUPackage: t })),
  ];
  await clock.advance(25_000);
  const batch = messagesOf("pc1", [...heatUp, new TextEncoder().encode("not json")]);
  await pipeline.handleBatch({
    messages: batch,
    highWatermark: "10",
    heartbeat: () => Promise.resolve(),
  });
  // The same readings again: duplicates.
  await pipeline.handleBatch({
    messages: messagesOf("pc1", heatUp.slice(0, 2), 6),
    highWatermark: "10",
    heartbeat: () => Promise.resolve(),
  });
  const pi = aRaspberryReading({ device: "pi1", timestamp: new Date(START).toISOString() });
  await pipeline.handleBatch({
    messages: messagesOf("pi1", [pi]),
    heartbeat: () => Promise.resolve(),
  });

  const text = metrics.registry.render();
  assert.equal(sample(text, 'stresswatch_readings_consumed_total{topic="pc1"}'), 8);
  assert.equal(sample(text, 'stresswatch_readings_stored_total{topic="pc1"}'), 5);
  assert.equal(sample(text, 'stresswatch_readings_duplicate_total{topic="pc1"}'), 2);
  assert.equal(sample(text, 'stresswatch_readings_dead_lettered_total{topic="pc1"}'), 1);
  assert.equal(sample(text, 'stresswatch_readings_stored_total{topic="pi1"}'), 1);
  assert.equal(sample(text, "stresswatch_batch_duration_seconds_count"), 3);
  assert.equal(sample(text, "stresswatch_scoring_duration_seconds_count"), 3);
  assert.equal(
    sample(text, 'stresswatch_consumer_lag{topic="pc1",partition="3"}'),
    2,
    "offsets 6 and 7 of a partition ending at 10",
  );
  assert.equal(sample(text, 'stresswatch_readings_scored_total{profile="pc",model="rule/v1"}'), 7);
  assert.equal(
    sample(text, 'stresswatch_model_info{profile="raspberry",model="rule",version="v1"}'),
    1,
  );
  assert.equal(sample(text, 'stresswatch_alerts_raised_total{kind="stress"}'), 1);
  assert.equal(sample(text, 'stresswatch_store_duration_seconds_count{method="saveScored"}'), 3);
});

Deno.test("consumer metrics count store errors by method, and a failed batch", async () => {
  await using store = await aStoreWith();
  const { metrics, pipeline } = setUp(
    Object.assign(Object.create(null), store, {
      saveScored: () => Promise.reject(new Error("disk full")),
    }),
  );
  const reading = aPcReading({ device: "pc1", timestamp: new Date(START).toISOString() });
  await assert.rejects(
    pipeline.handleBatch({
      messages: messagesOf("pc1", [reading]),
      heartbeat: () => Promise.resolve(),
    }),
    /disk full/,
  );
  const text = metrics.registry.render();
  assert.equal(sample(text, 'stresswatch_store_errors_total{method="saveScored"}'), 1);
  assert.equal(sample(text, "stresswatch_batches_failed_total"), 1);
  assert.equal(
    sample(text, 'stresswatch_readings_consumed_total{topic="pc1"}'),
    undefined,
    "a failed batch is counted when it is handled again, not twice",
  );
});

Deno.test("consumer metrics count alerts raised muted, and read the outbox's counters", async () => {
  await using store = await aStoreWith();
  const { metrics, store: wrapped } = setUp(store);
  await wrapped.saveAlert(anAlert("m1", "pc1", "2026-01-31T12:00:00.000Z", { state: "muted" }));
  metrics.outbox(() => ({
    sent: 4,
    messages: 5,
    failed: 1,
    muted: 2,
    retries: 3,
    rate_limited: 1,
    refused: 1,
    late: 1,
    store_errors: 0,
    pending: 7,
  }));
  const text = metrics.registry.render();
  assert.equal(sample(text, 'stresswatch_alerts_raised_total{kind="stress"}'), 1);
  assert.equal(sample(text, "stresswatch_alerts_muted_total"), 3, "1 raised muted + 2 at send");
  assert.equal(sample(text, "stresswatch_alerts_sent_total"), 4);
  assert.equal(sample(text, "stresswatch_alerts_failed_total"), 1);
  assert.equal(sample(text, "stresswatch_outbox_alerts"), 7);
  assert.equal(sample(text, "stresswatch_telegram_rate_limited_total"), 1);
});

Deno.test("consumer metrics label a batch of several topics (in-process transport) as mixed", async () => {
  await using store = await aStoreWith();
  const { metrics, pipeline } = setUp(store);
  const at = new Date(START).toISOString();
  await pipeline.handleBatch({
    messages: [
      ...messagesOf("pc1", [aPcReading({ device: "pc1", timestamp: at })]),
      ...messagesOf("pc2", [aPcReading({ device: "pc2", timestamp: at })], 1),
    ],
    heartbeat: () => Promise.resolve(),
  });
  const text = metrics.registry.render();
  assert.equal(sample(text, 'stresswatch_readings_consumed_total{topic="pc1"}'), 1);
  assert.equal(sample(text, 'stresswatch_readings_consumed_total{topic="pc2"}'), 1);
  assert.equal(sample(text, `stresswatch_readings_stored_total{topic="${MIXED_TOPICS}"}`), 2);
});
