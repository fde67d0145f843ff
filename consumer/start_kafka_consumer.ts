import type { ConsumerConfig as KafkaConsumerSettings, KafkaConfig } from "kafkajs";
import { type Clock, systemClock } from "../shared/clock.ts";
import { pipelineOptionsFrom } from "./pipeline_options.ts";
import { kvPathOf } from "../shared/config/store_env.ts";
import type { Logger } from "../shared/log.ts";
import { openModelRegistry } from "../shared/models/open_model_registry.ts";
import { createLogNotifier } from "../shared/notifier/log_notifier.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import type { Store } from "../shared/store/store.ts";
import { kafkaClientConfig } from "../shared/transport/kafka/kafka_config.ts";
import { kafkaLogCreator } from "../shared/transport/kafka/kafka_log.ts";
import type { KafkaSenderOptions } from "../shared/transport/kafka/kafka_sender.ts";
import { createKafkaTransport } from "../shared/transport/kafka/kafka_transport.ts";
import { type ConsumerConfig, heartbeatIntervalFor, subscriptionOf } from "./consumer_config.ts";
import { createConsumer } from "./create_consumer.ts";
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
   * Default: the Deno KV store at `KV_PATH` (or `$DATA_DIR/monitor.kv`),
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
  const store = deps.store ?? await openKvStore(kvPathOf(config));
  const closeStore = () => (deps.store ? Promise.resolve() : store.close());
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
      concurrency: tuning.concurrency ?? 1,
      consumer: {
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
        heartbeatInterval: heartbeatIntervalFor(config.KAFKA_SESSION_TIMEOUT_MS),
        ...tuning.consumer,
      },
    },
  });
  const registry = deps.scorer ? null : openModelRegistry(config);
  const models = registry && createModelScorer({
    registry: registry.registry,
    clock,
    log: log.child("models"),
    checkIntervalS: config.MODEL_CHECK_INTERVAL_S,
  });
  const closeModels = async () => {
    await models?.stop();
    registry?.close();
  };
  const pipeline = createPipeline({
    store,
    scorer: deps.scorer ?? models!,
    notifier: createLogNotifier({ log: log.child("alerts") }),
    deadLetters: createKafkaDeadLetterSink({ send: transport.send, topic: config.DLQ_TOPIC }),
    clock,
    log: log.child("pipeline"),
    options: pipelineOptionsFrom(config),
  });
  const consumer = createConsumer({
    transport,
    pipeline,
    subscribe: subscriptionOf(config),
    log,
  });
  try {
    await models?.start();
    if (models && registry) {
      log.info("models", {
        from: registry.where,
        using: models.models().map((m) => `${m.name}@${m.version.slice(0, 12)}`).join(",") ||
          "none (the rule)",
      });
    }
    await consumer.start();
  } catch (error) {
    await closeModels();
    await transport.close();
    await closeStore();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  return {
    store,
    stats: pipeline.stats,
    done: consumer.done,
    stop: () =>
      stopping ??= (async () => {
        try {
          await consumer.stop();
          await transport.close();
          await closeModels();
        } finally {
          await closeStore();
        }
      })(),
  };
}
