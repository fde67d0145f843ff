/**
 * Alert latency for `deno task bench:kafka`: from a reading sent to Kafka
 * to the (fake) Telegram Bot API receiving the `sendMessage` of the alert
 * it raised, with the whole consumer as in production (Kafka, the models,
 * the Deno KV store, the outbox sender), while devices send at a steady
 * rate.
 */
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { silentLogger } from "../../shared/log.ts";
import { encodeReading, type Reading } from "../../shared/reading/mod.ts";
import type { Scorer } from "../../shared/scoring/scorer.ts";
import type { Store } from "../../shared/store/store.ts";
import { alertButtonKey, parseAlertButton } from "../../shared/telegram/alert_buttons.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import { startFakeBotApi } from "../../testing/fake_bot_api.ts";
import { testConfig } from "../../testing/kafka/consumer_test_kit.ts";
import { testKafkaConfig } from "../../testing/kafka/mod.ts";
import { startKafkaConsumer } from "../start_kafka_consumer.ts";

export interface AlertLatencyOptions {
  bootstrap: string[];
  /** A topic with `partitions` partitions, empty. */
  topic: string;
  partitions: number;
  store: Store;
  scorer: Scorer;
  /** Devices sending, one reading per second each. Default 1,000. */
  devices?: number;
  /** Seconds of steady sending before devices start heating up. Default 10. */
  warmUpS?: number;
  /** Seconds during which a tenth of the devices heat up, one after another. Default 40. */
  measureS?: number;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface AlertLatency extends Percentiles {
  /** Readings sent per second, as achieved. */
  readingsPerSecond: number;
  alerts: number;
  /** From the send to the reading's scoring (Kafka and the batch's wait), ms. */
  scored: Percentiles;
  /** From the send to its alert saved (scored, readings stored, alert stored), ms. */
  alertSaved: Percentiles;
}

/** p50, p99 and max of `values` (ms). */
function percentiles(values: number[]): Percentiles {
  const sorted = values.toSorted((a, b) => a - b);
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: pick(0.5), p99: pick(0.99), max: sorted.at(-1) ?? NaN };
}

const OWNER = 42;
/**
 * Producer sends per second, each with a fifth of the devices' readings.
 * The test broker hands a consumer one send per partition and fetch (a real
 * broker hands everything waiting), so fewer, larger sends keep it from
 * holding readings back that a real broker would deliver at once.
 */
const TICKS_PER_S = 5;

/**
 * Every device sends one reading a second (so `devices` readings/s),
 * spread over five sends a second, keyed to partition `d % partitions`. After
 * the warm-up, one device in ten heats up (3 °C a second under full load,
 * from 60 °C), at times spread over the measuring window, so alerts come
 * one by one while the rest keep sending.
 */
export async function measureAlertLatency(options: AlertLatencyOptions): Promise<AlertLatency> {
  const devices = options.devices ?? 1000;
  const warmUpS = options.warmUpS ?? 10;
  const measureS = options.measureS ?? 40;
  await using telegram = await startFakeBotApi();
  // Where the time goes: when each reading is scored, and when its alert is saved.
  const scoredAt = new Map<string, number>();
  const alertSavedAt = new Map<string, number>();
  const scorer: Scorer = {
    windowSize: options.scorer.windowSize,
    score(inputs) {
      const now = performance.now();
      for (const input of inputs) scoredAt.set(input.window.at(-1)!.uuid, now);
      return options.scorer.score(inputs);
    },
  };
  const store: Store = {
    ...options.store,
    async saveAlert(alert) {
      const saved = await options.store.saveAlert(alert);
      if (alert.reading_uuid) alertSavedAt.set(alert.reading_uuid, performance.now());
      return saved;
    },
  };
  const consumer = await startKafkaConsumer({
    config: testConfig(options.bootstrap, {
      KAFKA_TOPICS: options.topic,
      KAFKA_SESSION_TIMEOUT_MS: "10000",
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_ALLOWED_CHAT_IDS: String(OWNER),
    }),
    log: silentLogger,
    store,
    scorer,
    tuning: { kafka: { logLevel: logLevel.NOTHING }, consumer: { maxWaitTimeInMs: 20 } },
  });
  const producer = new Kafka(testKafkaConfig(options.bootstrap)).producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const sentAt = new Map<string, number>();
  let sent = 0;
  const startedAt = Date.now();
  try {
    const firsts = Array.from({ length: devices }, (_, d) =>
      aPcReading({
        device: `latency-${d}`,
        timestamp: new Date(startedAt).toISOString(),
        TemperatureCPUPackage: 50 + (d % 7),
        LoadCPUTotal: 15,
      }));
    // Device d (one in ten) starts heating at this second.
    const heatsAt = (d: number) =>
      d % 10 === 0 ? warmUpS + ((d / 10) * measureS) / Math.ceil(devices / 10) : Infinity;
    const readingOf = (d: number, second: number): Reading => {
      const heating = second - heatsAt(d);
      return heating < 0 ? later(firsts[d]!, second) : later(firsts[d]!, second, {
        TemperatureCPUPackage: Math.min(99, 60 + 3 * heating),
        LoadCPUTotal: 98,
        PowerCPUPackage: 95,
      });
    };
    const seconds = warmUpS + measureS + 5;
    const began = performance.now();
    for (let tick = 0; tick < seconds * TICKS_PER_S; tick++) {
      const due = began + (tick * 1000) / TICKS_PER_S;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const second = Math.floor(tick / TICKS_PER_S);
      const readings: Reading[] = [];
      for (let d = tick % TICKS_PER_S; d < devices; d += TICKS_PER_S) {
        readings.push(readingOf(d, second));
      }
      const now = performance.now();
      for (const reading of readings) sentAt.set(reading.uuid, now);
      await producer.send({
        topic: options.topic,
        messages: readings.map((reading) => ({
          key: reading.device,
          value: Buffer.from(encodeReading(reading)),
          partition: Number(reading.device.slice("latency-".length)) % options.partitions,
        })),
      });
      sent += readings.length;
    }
    const readingsPerSecond = sent / ((performance.now() - began) / 1000);
    // Let the last alerts go out.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const alerts = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await options.store.listAlerts({ limit: 1000, cursor });
      for (const alert of page.items) {
        if (alert.reading_uuid) alerts.set(alertButtonKey(alert.id), alert.reading_uuid);
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const latencies: number[] = [];
    const toScore: number[] = [];
    const toSaved: number[] = [];
    for (const request of telegram.calls("sendMessage")) {
      const markup = request.params.reply_markup as
        | { inline_keyboard: { callback_data: string }[][] }
        | undefined;
      const button = parseAlertButton(markup?.inline_keyboard[0]?.[0]?.callback_data);
      const uuid = button.ok ? alerts.get(button.key) : undefined;
      const at = uuid === undefined ? undefined : sentAt.get(uuid);
      if (at === undefined) continue;
      latencies.push(request.receivedAt - at);
      toScore.push(scoredAt.get(uuid!)! - at);
      toSaved.push(alertSavedAt.get(uuid!)! - at);
    }
    return {
      readingsPerSecond,
      alerts: latencies.length,
      ...percentiles(latencies),
      scored: percentiles(toScore),
      alertSaved: percentiles(toSaved),
    };
  } finally {
    await producer.disconnect();
    await consumer.stop();
  }
}
