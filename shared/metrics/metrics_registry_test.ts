import assert from "node:assert/strict";
import { createMetricsRegistry } from "./metrics_registry.ts";

Deno.test("createMetricsRegistry() renders counters with labels in the text format", () => {
  const metrics = createMetricsRegistry();
  const stored = metrics.counter("sw_readings_stored_total", "Readings stored.", {
    labels: ["topic"],
  });
  stored.inc(12, { topic: "pc1" });
  stored.inc(1, { topic: "pc1" });
  stored.inc(3, { topic: 'odd "name"\\' });
  assert.equal(
    metrics.render(),
    [
      "# HELP sw_readings_stored_total Readings stored.",
      "# TYPE sw_readings_stored_total counter",
      'sw_readings_stored_total{topic="pc1"} 13',
      'sw_readings_stored_total{topic="odd \\"name\\"\\\\"} 3',
      "",
    ].join("\n"),
  );
});

Deno.test("a counter never goes down", async (t) => {
  const metrics = createMetricsRegistry();
  const sent = metrics.counter("sw_sent_total", "Sent.");

  await t.step("inc() refuses a negative step", () => {
    assert.throws(() => sent.inc(-1), /a counter only goes up, got -1/);
  });

  await t.step("setTotal() takes a higher total and ignores a lower one", () => {
    sent.setTotal(5);
    sent.setTotal(3);
    assert.match(metrics.render(), /^sw_sent_total 5$/m);
  });
});

Deno.test("a gauge is set, and reset() forgets its label sets", () => {
  const metrics = createMetricsRegistry();
  const model = metrics.gauge("sw_model_info", "Model in use.", { labels: ["profile", "model"] });
  model.set(1, { profile: "pc", model: "pc@abc" });
  assert.match(metrics.render(), /^sw_model_info\{profile="pc",model="pc@abc"\} 1$/m);
  model.reset();
  model.set(1, { profile: "pc", model: "pc@def" });
  const text = metrics.render();
  assert.doesNotMatch(text, /pc@abc/);
  assert.match(text, /^sw_model_info\{profile="pc",model="pc@def"\} 1$/m);
});

Deno.test("a histogram renders cumulative buckets, +Inf, sum and count", () => {
  const metrics = createMetricsRegistry();
  const latency = metrics.histogram("sw_batch_seconds", "Batch time.", {
    buckets: [0.01, 0.1, 1],
    labels: ["topic"],
  });
  for (const seconds of [0.005, 0.05, 0.05, 0.5, 3]) latency.observe(seconds, { topic: "pc1" });
  const lines = metrics.render().trim().split("\n");
  assert.deepEqual(lines, [
    "# HELP sw_batch_seconds Batch time.",
    "# TYPE sw_batch_seconds histogram",
    'sw_batch_seconds_bucket{topic="pc1",le="0.01"} 1',
    'sw_batch_seconds_bucket{topic="pc1",le="0.1"} 3',
    'sw_batch_seconds_bucket{topic="pc1",le="1"} 4',
    'sw_batch_seconds_bucket{topic="pc1",le="+Inf"} 5',
    'sw_batch_seconds_sum{topic="pc1"} 3.605',
    'sw_batch_seconds_count{topic="pc1"} 5',
  ]);
});

Deno.test("collectors run before each render", () => {
  const metrics = createMetricsRegistry();
  const pending = metrics.gauge("sw_outbox_alerts", "Alerts waiting.");
  let size = 3;
  metrics.onCollect(() => pending.set(size));
  assert.match(metrics.render(), /^sw_outbox_alerts 3$/m);
  size = 0;
  assert.match(metrics.render(), /^sw_outbox_alerts 0$/m);
});

Deno.test("createMetricsRegistry() refuses bad names, labels and buckets", async (t) => {
  const metrics = createMetricsRegistry();
  await t.step("a metric name with a dash", () => {
    assert.throws(() => metrics.counter("sw-sent", "x"), /Cannot add metric 'sw-sent'/);
  });
  await t.step("a name registered twice", () => {
    metrics.counter("sw_once_total", "x");
    assert.throws(() => metrics.gauge("sw_once_total", "x"), /already registered/);
  });
  await t.step("le as a histogram label", () => {
    assert.throws(
      () => metrics.histogram("sw_h", "x", { labels: ["le"] }),
      /'le' cannot be a label name/,
    );
  });
  await t.step("buckets out of order", () => {
    assert.throws(
      () => metrics.histogram("sw_h2", "x", { buckets: [1, 0.5] }),
      /'buckets' must be finite numbers in increasing order/,
    );
  });
  await t.step("a sample with a missing or unknown label", () => {
    const counter = metrics.counter("sw_by_topic_total", "x", { labels: ["topic"] });
    assert.throws(() => counter.inc(1), /its labels are \[topic\], got \[\]/);
    assert.throws(
      () => counter.inc(1, { topic: "a", partition: "1" }),
      /its labels are \[topic\], got \[topic, partition\]/,
    );
  });
});
