import type { ConsumerConfig as KafkaConsumerSettings, KafkaConfig } from "kafkajs";
import { type Clock, systemClock } from "../shared/clock.ts";
import { pipelineOptionsFrom } from "./pipeline_options.ts";
import type { Logger } from "../shared/log.ts";
import type { MetricsRegistry } from "../shared/metrics/metrics_registry.ts";
import { serveMetrics } from "../shared/metrics/serve_metrics.ts";
import { openModelRegistry } from "../shared/models/open_model_registry.ts";
import { openNotifier } from "../shared/notifier/open_notifier.ts";
import type { OutboxStats } from "../shared/notifier/outbox_sender.ts";
import { coalesceSaves } from "../shared/store/coalesce_saves.ts";
import { openStore } from "../shared/store/open_store.ts";
import type { Store } from "../shared/store/store.ts";
import { createCloseStack } from "../shared/entry_point/close_stack.ts";
import { kafkaClientConfig } from "../shared/transport/kafka/kafka_config.ts";
import { kafkaLogCreator } from "../shared/transport/kafka/kafka_log.ts";
import type { KafkaSenderOptions } from "../shared/transport/kafka/kafka_sender.ts";
import { createKafkaTransport } from "../shared/transport/kafka/kafka_transport.ts";
import { type ConsumerConfig, heartbeatIntervalFor, subscriptionOf } from "./consumer_config.ts";
import { createConsumer } from "./create_consumer.ts";
import { createConsumerMetrics } from "./consumer_metrics.ts";
import { createPipeline, type PipelineStats } from "./create_pipeline.ts";
import { createKafkaDeadLetterSink } from "./kafka_dead_letter_sink.ts";
import { createModelScorer } from "./model_scorer.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";

export interface KafkaConsumerDeps {
  config: ConsumerConfig;
  log: Logger;
  clock?: Clock;
  /**
   * Default: the models of the registry the config names (`MODELS_BUCKET` on
   * S3, else `MODELS_DIR`), reloaded every `MODEL_CHECK_INTERVAL_S`; the rule
   * where no model fits.
   */
  scorer?: Scorer;
  /**
   * Default: the store the config names (`openStore()`: Deno KV at `KV_PATH`
   * or `$DATA_DIR/monitor.kv`, or the DynamoDB table `DYNAMODB_TABLE`),
   * opened here and closed by `stop()`. A store given here stays open.
   */
  store?: Store;
  /** kafkajs settings over those from the config (tests: short retries, quick fetches). */
  tuning?: {
    kafka?: Partial<KafkaConfig>;
    consumer?: Partial<Omit<KafkaConsumerSettings, "groupId">>;
    sender?: Omit<KafkaSenderOptions, "kafka" | "log">;
    concurrency?: number;
  };
}

export interface RunningConsumer {
  store: Store;
  stats(): PipelineStats;
  /** The Telegram outbox's counters; null when alerts are only logged (no `TELEGRAM_BOT_TOKEN`). */
  outboxStats(): OutboxStats | null;
  /** Every metric, as `GET /metrics` serves it. */
  metrics: MetricsRegistry;
  /** Where `GET /metrics` is served (`http://127.0.0.1:9464`), null without `METRICS_PORT`. */
  metricsUrl: string | null;
  /** Settles when consuming ends; rejects if the consumer failed for good. */
  readonly done: Promise<void>;
  /** Finishes the batch in hand, commits it, disconnects and closes the store it opened. */
  stop(): Promise<void>;
}

/**
 * The consumer on Kafka (`deno task consumer`): the configured topics ->
 * the pipeline (decode, validate, window, score, decide) -> the store, bad
 * messages -> the dead-letter topic, alerts -> the notifier.
 */
export async function startKafkaConsumer(deps: KafkaConsumerDeps): Promise<RunningConsumer> {
  const { config, log } = deps;
  const clock = deps.clock ?? systemClock;
  const tuning = deps.tuning ?? {};
  const metrics = createConsumerMetrics();
  // Everything opened is closed by stop(), or at once if the start fails, last first.
  const opened = createCloseStack(log);
  try {
    let bareStore = deps.store;
    if (!bareStore) {
      const { store: ownStore } = await openStore(config);
      opened.defer("store", () => ownStore.close());
      bareStore = ownStore;
    }
    // Saves of the partitions handled at once are written together.
    const store = metrics.store(coalesceSaves(bareStore));
    const transport = createKafkaTransport({
      kafka: kafkaClientConfig(config, {
        logCreator: kafkaLogCreator(log.child("kafkajs")),
        ...tuning.kafka,
      }),
      log,
      clock,
      sender: { ...tuning.sender },
      subscriber: {
        topicRefreshMs: config.KAFKA_TOPIC_REFRESH_S * 1000,
        concurrency: tuning.concurrency ?? config.KAFKA_PARTITIONS_CONCURRENTLY,
        consumer: {
          sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
          heartbeatInterval: heartbeatIntervalFor(config.KAFKA_SESSION_TIMEOUT_MS),
          ...tuning.consumer,
        },
      },
    });
    opened.defer("Kafka", () => transport.close());
    const registry = deps.scorer ? null : openModelRegistry(config);
    const models = registry && createModelScorer({
      registry: registry.registry,
      clock,
      log: log.child("models"),
      checkIntervalS: config.MODEL_CHECK_INTERVAL_S,
    });
    if (registry) opened.defer("model registry", () => registry.close());
    const notifier = openNotifier(config, { store, clock, log: log.child("alerts") });
    if (notifier.outbox) metrics.outbox(notifier.outbox.stats);
    const pipeline = metrics.pipeline(createPipeline({
      store,
      scorer: metrics.scorer(deps.scorer ?? models!),
      notifier: notifier.notifier,
      deadLetters: createKafkaDeadLetterSink({ send: transport.send, topic: config.DLQ_TOPIC }),
      clock,
      log: log.child("pipeline"),
      options: pipelineOptionsFrom(config),
    }));
    const consumer = createConsumer({
      transport,
      pipeline,
      subscribe: subscriptionOf(config),
      log,
    });
    const server = serveMetrics(config, metrics.registry);
    if (server) {
      opened.defer("metrics server", () => server.shutdown());
      log.info("metrics", { at: `${server.url}/metrics` });
    }
    if (models && registry) {
      opened.defer("models", () => models.stop());
      await models.start();
      log.info("models", {
        from: registry.where,
        using: models.models().map((m) => `${m.name}@${m.version.slice(0, 12)}`).join(",") ||
          "none (the rule)",
      });
    }
    // The sender stops after the consumer, so alerts of the last batch are woken for.
    opened.defer("alert sender", () => notifier.stop());
    notifier.start();
    log.info("alerts", {
      to: notifier.kind === "telegram"
        ? `Telegram (${config.TELEGRAM_API_ROOT})`
        : "the log (set TELEGRAM_BOT_TOKEN for Telegram)",
    });
    opened.defer("consumer", () => consumer.stop());
    await consumer.start();

    let stopping: Promise<void> | null = null;
    return {
      store,
      stats: pipeline.stats,
      outboxStats: () => notifier.outbox?.stats() ?? null,
      metrics: metrics.registry,
      metricsUrl: server ? `${server.url}/metrics` : null,
      done: consumer.done,
      stop: () => stopping ??= opened.close(),
    };
  } catch (error) {
    await opened.close().catch(() => {});
    throw error;
  }
}
