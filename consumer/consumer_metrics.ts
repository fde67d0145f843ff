import { createMetricsRegistry, type MetricsRegistry } from "../shared/metrics/metrics_registry.ts";
import type { OutboxStats } from "../shared/notifier/outbox_sender.ts";
import type { Profile } from "../shared/reading/mod.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import type { Alert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { Pipeline } from "./create_pipeline.ts";

/** The label of a batch's counts when its messages came from several topics (in-process transport). */
export const MIXED_TOPICS = "(mixed)";

/**
 * The consumer's metrics, gathered by wrapping what the pipeline is built
 * from (its store, its scorer) and the pipeline itself, so the pipeline
 * needs no metrics code:
 *
 * | metric                                                  | type      | labels                  |
 * | ------------------------------------------------------- | --------- | ----------------------- |
 * | `stresswatch_readings_consumed_total`                   | counter   | topic                   |
 * | `stresswatch_readings_stored_total`                     | counter   | topic                   |
 * | `stresswatch_readings_duplicate_total`                  | counter   | topic                   |
 * | `stresswatch_readings_dead_lettered_total`              | counter   | topic                   |
 * | `stresswatch_batches_failed_total`                      | counter   |                         |
 * | `stresswatch_batch_duration_seconds`                    | histogram |                         |
 * | `stresswatch_scoring_duration_seconds`                  | histogram |                         |
 * | `stresswatch_readings_scored_total`                     | counter   | profile, model          |
 * | `stresswatch_model_info`                                | gauge     | profile, model, version |
 * | `stresswatch_consumer_lag`                              | gauge     | topic, partition        |
 * | `stresswatch_alerts_raised_total`                       | counter   | kind                    |
 * | `stresswatch_alerts_sent_total`, `_failed_`, `_muted_`  | counter   |                         |
 * | `stresswatch_outbox_alerts`                             | gauge     |                         |
 * | `stresswatch_telegram_*_total`                          | counter   |                         |
 * | `stresswatch_store_errors_total`                        | counter   | method                  |
 * | `stresswatch_store_duration_seconds`                    | histogram | method                  |
 */
export interface ConsumerMetrics {
  readonly registry: MetricsRegistry;
  /** The store, timed per method, its errors counted, and the alerts saved in it counted. */
  store(store: Store): Store;
  /** The scorer, timed per call, with the model that scored each profile's readings. */
  scorer(scorer: Scorer): Scorer;
  /** The pipeline, counting each batch's readings by topic, timing it, and the partition's lag. */
  pipeline(pipeline: Pipeline): Pipeline;
  /** Reads the Telegram outbox's counters at each scrape. */
  outbox(stats: () => OutboxStats): void;
}

export function createConsumerMetrics(
  registry: MetricsRegistry = createMetricsRegistry(),
): ConsumerMetrics {
  const byTopic = { labels: ["topic"] };
  const consumed = registry.counter(
    "stresswatch_readings_consumed_total",
    "Messages consumed, good or bad, from batches handled.",
    byTopic,
  );
  const stored = registry.counter(
    "stresswatch_readings_stored_total",
    "Readings stored (new).",
    byTopic,
  );
  const duplicates = registry.counter(
    "stresswatch_readings_duplicate_total",
    "Readings already stored (redelivered or sent twice): skipped.",
    byTopic,
  );
  const deadLettered = registry.counter(
    "stresswatch_readings_dead_lettered_total",
    "Messages that are not readings, sent to the dead letters.",
    byTopic,
  );
  const batchesFailed = registry.counter(
    "stresswatch_batches_failed_total",
    "Batches that failed (not committed: delivered again).",
  );
  const batchSeconds = registry.histogram(
    "stresswatch_batch_duration_seconds",
    "Time to handle one batch: decode, score, store, alert.",
  );
  const scoringSeconds = registry.histogram(
    "stresswatch_scoring_duration_seconds",
    "Time to score one batch's readings.",
  );
  const scored = registry.counter(
    "stresswatch_readings_scored_total",
    "Readings scored, by profile and by what scored them (a model or the rule).",
    { labels: ["profile", "model"] },
  );
  const modelInfo = registry.gauge(
    "stresswatch_model_info",
    "The model (name and version) that scored the newest reading of each profile.",
    { labels: ["profile", "model", "version"] },
  );
  const lag = registry.gauge(
    "stresswatch_consumer_lag",
    "Messages behind the end of the partition after the last batch handled.",
    { labels: ["topic", "partition"] },
  );
  const raised = registry.counter(
    "stresswatch_alerts_raised_total",
    "Alerts raised and stored (muted ones included).",
    { labels: ["kind"] },
  );
  const sent = registry.counter("stresswatch_alerts_sent_total", "Alerts sent to every chat.");
  const failed = registry.counter(
    "stresswatch_alerts_failed_total",
    "Alerts given up on (attempts spent, refused by every chat, or no chat to send to).",
  );
  const muted = registry.counter(
    "stresswatch_alerts_muted_total",
    "Alerts not sent because their device was muted.",
  );
  const outboxSize = registry.gauge(
    "stresswatch_outbox_alerts",
    "Alerts waiting to be sent (pending), as far as the sender knows (up to one page).",
  );
  const telegram = {
    messages: registry.counter("stresswatch_telegram_messages_total", "Messages Telegram took."),
    retries: registry.counter(
      "stresswatch_telegram_retries_total",
      "Failed sends that will be tried again (5xx, network, no answer).",
    ),
    rateLimited: registry.counter(
      "stresswatch_telegram_rate_limited_total",
      "429 answers: sending paused for retry_after.",
    ),
    refused: registry.counter(
      "stresswatch_telegram_refused_total",
      "Messages a chat refused (bot blocked, chat gone).",
    ),
    late: registry.counter(
      "stresswatch_alerts_late_total",
      "Alerts sent later than ALERT_MAX_AGE, saying so.",
    ),
  };
  const storeErrors = registry.counter(
    "stresswatch_store_errors_total",
    "Store calls that failed, by method.",
    { labels: ["method"] },
  );
  const storeSeconds = registry.histogram(
    "stresswatch_store_duration_seconds",
    "Time of store calls, by method.",
    { labels: ["method"] },
  );

  let mutedWhenRaised = 0;
  let outboxStats: (() => OutboxStats) | null = null;
  const latestModel = new Map<Profile, string>();

  registry.onCollect(() => {
    modelInfo.reset();
    for (const [profile, model] of latestModel) {
      const [name, version] = splitModel(model);
      modelInfo.set(1, { profile, model: name, version });
    }
    const outbox = outboxStats?.();
    muted.setTotal(mutedWhenRaised + (outbox?.muted ?? 0));
    if (!outbox) return;
    sent.setTotal(outbox.sent);
    failed.setTotal(outbox.failed);
    outboxSize.set(outbox.pending);
    telegram.messages.setTotal(outbox.messages);
    telegram.retries.setTotal(outbox.retries);
    telegram.rateLimited.setTotal(outbox.rate_limited);
    telegram.refused.setTotal(outbox.refused);
    telegram.late.setTotal(outbox.late);
  });

  function countAlert(alert: Alert): void {
    raised.inc(1, { kind: alert.kind });
    if (alert.state === "muted") mutedWhenRaised++;
  }

  return {
    registry,

    store(store) {
      const wrapped = new Map<PropertyKey, unknown>();
      return new Proxy(store, {
        get(target, method, receiver) {
          const value = Reflect.get(target, method, receiver);
          if (typeof value !== "function") return value;
          if (!wrapped.has(method)) {
            const name = String(method);
            wrapped.set(method, async (...args: unknown[]) => {
              const started = performance.now();
              try {
                const result = await value.apply(target, args);
                if (name === "saveAlert") countAlert(result as Alert);
                return result;
              } catch (error) {
                storeErrors.inc(1, { method: name });
                throw error;
              } finally {
                storeSeconds.observe((performance.now() - started) / 1000, { method: name });
              }
            });
          }
          return wrapped.get(method);
        },
      });
    },

    scorer(scorer) {
      return {
        get windowSize() {
          return scorer.windowSize;
        },
        async score(inputs) {
          const started = performance.now();
          const scores = await scorer.score(inputs);
          scoringSeconds.observe((performance.now() - started) / 1000);
          const counts = new Map<string, { profile: Profile; model: string; n: number }>();
          scores.forEach((score, i) => {
            const profile = inputs[i]!.profile;
            const key = `${profile}\0${score.model}`;
            const entry = counts.get(key) ?? { profile, model: score.model, n: 0 };
            entry.n++;
            counts.set(key, entry);
            latestModel.set(profile, score.model);
          });
          for (const { profile, model, n } of counts.values()) scored.inc(n, { profile, model });
          return scores;
        },
      };
    },

    pipeline(pipeline) {
      return {
        ...pipeline,
        async handleBatch(batch) {
          const started = performance.now();
          let result;
          try {
            result = await pipeline.handleBatch(batch);
          } catch (error) {
            batchesFailed.inc();
            throw error;
          }
          batchSeconds.observe((performance.now() - started) / 1000);
          const topics = new Map<string, number>();
          for (const message of batch.messages) {
            topics.set(message.topic, (topics.get(message.topic) ?? 0) + 1);
          }
          for (const [topic, n] of topics) consumed.inc(n, { topic });
          const topic = topics.size === 1 ? [...topics.keys()][0]! : MIXED_TOPICS;
          stored.inc(result.stored, { topic });
          duplicates.inc(result.duplicates, { topic });
          deadLettered.inc(result.deadLetters, { topic });
          const last = batch.messages.at(-1);
          if (batch.highWatermark !== undefined && last && topics.size === 1) {
            const behind = Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
            lag.set(Math.max(0, behind), { topic, partition: String(last.partition) });
          }
          return result;
        },
      };
    },

    outbox(stats) {
      outboxStats = stats;
    },
  };
}

/** `pc@3f2a…` -> [`pc`, `3f2a…`]; `rule/v1` -> [`rule`, `v1`]. */
function splitModel(model: string): [string, string] {
  const at = model.lastIndexOf("@");
  if (at > 0) return [model.slice(0, at), model.slice(at + 1)];
  const slash = model.lastIndexOf("/");
  if (slash > 0) return [model.slice(0, slash), model.slice(slash + 1)];
  return [model, ""];
}
