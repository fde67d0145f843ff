import assert from "node:assert/strict";
import type { PcReading } from "../shared/reading/mod.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import { alertKeyboard } from "../shared/telegram/alert_buttons.ts";
import { aPcReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { startTestBroker } from "../testing/kafka/mod.ts";
import { brokerPeer, FAST, sendReadings, testConfig } from "../testing/kafka/consumer_test_kit.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";

const { ignore } = await brokerPeer();
const OWNER = 42;

/** pc1 heating up to 89 °C over the last 25 s: the rule alerts on it. */
function heatUp(): PcReading[] {
  const first = aPcReading({
    device: "pc1",
    timestamp: new Date(Date.now() - 25_000).toISOString(),
    TemperatureCPUPackage: 70,
  });
  return [
    first,
    ...[80, 86, 88, 89].map((t, i) => later(first, (i + 1) * 5, { TemperatureCPUPackage: t })),
  ];
}

/** The value of one sample line of a scrape, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test({
  name:
    "the consumer sends an alert to Telegram with its buttons, records the message, and /metrics shows it",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using telegram = await startFakeBotApi();
    await using store = await aStoreWith();
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap, {
        KAFKA_TOPICS: "pc1",
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
        METRICS_PORT: "0",
      }),
      log: createMemoryLogger(),
      store,
      scorer: createRuleScorer(),
      tuning: FAST,
    });
    try {
      const readings = heatUp();
      await sendReadings(broker.bootstrap, readings);
      const request = await telegram.waitForRequest("sendMessage");
      assert.equal(request.params.chat_id, OWNER);
      const [alert] = (await store.listAlerts({ limit: 5 })).items;
      assert.ok(alert, "the alert is stored");
      assert.equal(request.params.text, alert.message);
      assert.deepEqual(request.params.reply_markup, alertKeyboard(alert.id));
      await waitUntil(async () => (await store.getAlert(alert.id))?.state === "sent", {
        what: "the alert recorded as sent",
      });
      const [message] = telegram.messages(OWNER);
      assert.deepEqual((await store.getAlert(alert.id))!.deliveries.map((d) => d.message_id), [
        message!.message_id,
      ]);

      // Scraped over HTTP, as Prometheus would.
      assert.ok(consumer.metricsUrl);
      const response = await fetch(consumer.metricsUrl);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      assert.equal(sample(text, 'stresswatch_readings_consumed_total{topic="pc1"}'), 5);
      assert.equal(sample(text, 'stresswatch_readings_stored_total{topic="pc1"}'), 5);
      assert.equal(sample(text, 'stresswatch_consumer_lag{topic="pc1",partition="0"}'), 0);
      assert.equal(sample(text, 'stresswatch_alerts_raised_total{kind="stress"}'), 1);
      assert.equal(sample(text, "stresswatch_alerts_sent_total"), 1);
      assert.equal(sample(text, "stresswatch_telegram_messages_total"), 1);
      assert.equal(sample(text, "stresswatch_outbox_alerts"), 0);
      assert.equal(
        sample(text, 'stresswatch_model_info{profile="pc",model="rule",version="v1"}'),
        1,
      );
      assert.ok((sample(text, "stresswatch_batch_duration_seconds_count") ?? 0) >= 1);
    } finally {
      await consumer.stop();
    }
  },
});

Deno.test({
  name: "an alert left pending when the consumer stopped is sent when it starts again",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using telegram = await startFakeBotApi();
    await using store = await aStoreWith();
    const config = testConfig(broker.bootstrap, {
      KAFKA_TOPICS: "pc1",
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
    });
    const start = () =>
      startKafkaConsumer({
        config,
        log: createMemoryLogger(),
        store,
        scorer: createRuleScorer(),
        tuning: FAST,
      });

    // Telegram does not answer; the consumer stops with the message in flight.
    telegram.failNext("sendMessage", { kind: "hang" });
    const first = await start();
    try {
      await sendReadings(broker.bootstrap, heatUp());
      await telegram.waitForRequest("sendMessage");
    } finally {
      await first.stop();
    }
    const [pending] = await store.listPendingAlerts({ limit: 5 });
    assert.ok(pending, "the alert is still pending");
    assert.equal(pending.attempts, 0);
    // The held request stays unanswered (it ends with a 503 when the server closes).

    const second = await start();
    try {
      await waitUntil(async () => (await store.getAlert(pending.id))?.state === "sent", {
        what: "the pending alert sent after the restart",
      });
      assert.equal(telegram.messages(OWNER).length, 1);
    } finally {
      await second.stop();
    }
  },
});
