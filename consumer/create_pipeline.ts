import { isStressed, limitsFor, type StressLimits } from "../shared/scoring/stressed.ts";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import { decodeReading, type Reading } from "../shared/reading/mod.ts";
import type { Prediction } from "../shared/store/records.ts";
import type { ScoredReading, Store } from "../shared/store/store.ts";
import type { Batch } from "../shared/transport/transport.ts";
import {
  ALERT_POLICY_DEFAULTS,
  type AlertPolicyOptions,
  type AlertState,
  decideAlert,
  INITIAL_ALERT_STATE,
} from "../shared/scoring/alert_policy.ts";
import { deadLetterOf, type DeadLetterSink } from "./dead_letter_sink.ts";
import { createDeviceWindows } from "./device_windows.ts";
import { RULE_THRESHOLD } from "../shared/scoring/rule_scorer.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import { createUnknownFieldLog } from "./unknown_fields_log.ts";

export interface PipelineOptions {
  /**
   * Probability at or above which a device is "stressed soon", for scores that
   * bring no threshold of their own (the rule). Default 0.5.
   */
  threshold: number;
  /** Hot limit per device name, °C, overriding the profile default. */
  hotLimits: Record<string, number>;
  alerts: AlertPolicyOptions;
}

export const PIPELINE_DEFAULTS: PipelineOptions = {
  threshold: RULE_THRESHOLD,
  hotLimits: {},
  alerts: ALERT_POLICY_DEFAULTS,
};

export interface PipelineDeps {
  store: Store;
  scorer: Scorer;
  notifier: Notifier;
  deadLetters: DeadLetterSink;
  clock: Clock;
  log: Logger;
  options?: Partial<PipelineOptions>;
}

/** Counters since start, for logs and /metrics. */
export interface PipelineStats {
  batches: number;
  messages: number;
  stored: number;
  duplicates: number;
  dead_letters: number;
  alerts: number;
  notify_failures: number;
}

export interface BatchResult {
  stored: number;
  duplicates: number;
  deadLetters: number;
  alerts: number;
}

export interface Pipeline {
  /** Decodes, scores, stores and alerts on one batch. Throws (so the batch is redelivered) when storing fails. */
  handleBatch(batch: Batch): Promise<BatchResult>;
  stats(): PipelineStats;
}

/**
 * The consumer pipeline: decode -> validate -> per-device window -> score ->
 * decide -> store -> alert.
 *
 * Bad messages go to the dead-letter sink and the batch goes on; if the sink
 * fails, the batch fails, so nothing is committed. Readings and predictions
 * are stored before any alert, and alerts before the notifier is called, so
 * a notifier outage loses nothing.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const options = { ...PIPELINE_DEFAULTS, ...deps.options };
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    throw new RangeError(
      `Cannot create pipeline: 'threshold' must be in (0, 1], got ${options.threshold}`,
    );
  }
  const { store, scorer, notifier, deadLetters, clock, log } = deps;
  // The scorer says how many readings its windows need (the rule 1, a model 12).
  const windows = createDeviceWindows({ size: scorer.windowSize });
  const alertStates = new Map<string, AlertState>();
  const unknownFields = createUnknownFieldLog(log);
  const stats: PipelineStats = {
    batches: 0,
    messages: 0,
    stored: 0,
    duplicates: 0,
    dead_letters: 0,
    alerts: 0,
    notify_failures: 0,
  };

  const limitsOf = (reading: Reading): StressLimits => ({
    ...limitsFor(reading.profile, options.hotLimits[reading.device]),
    observedMaxClockMhz: windows.maxClock(reading.device),
  });

  async function decodeAll(batch: Batch): Promise<Reading[]> {
    const readings: Reading[] = [];
    for (const message of batch.messages) {
      try {
        const reading = decodeReading(message.value);
        unknownFields.note(reading);
        readings.push(reading);
      } catch (error) {
        await deadLetters.send(deadLetterOf(message, error as Error, clock.now()));
        stats.dead_letters++;
        log.warn("message refused, sent to dead letters", {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          error: (error as Error).message,
        });
      }
    }
    return readings.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  }

  /** Fills a new device's window from the store, so a restart does not start blind. */
  async function seedWindows(readings: Reading[]): Promise<void> {
    for (const device of new Set(readings.map((r) => r.device))) {
      if (windows.has(device)) continue;
      const recent = await store.listReadings(device, { limit: scorer.windowSize });
      for (const reading of recent.items) windows.add(reading);
    }
  }

  async function score(readings: Reading[]): Promise<ScoredReading[]> {
    const inputs = readings.map((reading) => {
      windows.add(reading);
      return {
        device: reading.device,
        profile: reading.profile,
        window: windows.windowFor(reading),
        limits: limitsOf(reading),
      };
    });
    const scores = await scorer.score(inputs);
    const scoredAt = new Date(clock.now()).toISOString();
    return readings.map((reading, i) => {
      const { probability, model, reasons } = scores[i]!;
      // A trained model brings the threshold chosen for it; the rule uses the configured one.
      const threshold = scores[i]!.threshold ?? options.threshold;
      const prediction: Prediction = {
        device: reading.device,
        reading_uuid: reading.uuid,
        timestamp: reading.timestamp,
        scored_at: scoredAt,
        probability,
        threshold,
        stressed_soon: probability >= threshold,
        stressed_now: isStressed(reading, inputs[i]!.limits),
        model,
        reasons,
        ...(reading.simulated ? { simulated: true } : {}),
      };
      return { reading, prediction };
    });
  }

  async function raiseAlerts(
    scored: ScoredReading[],
    storedUuids: ReadonlySet<string>,
  ): Promise<number> {
    let raised = 0;
    for (const { reading, prediction } of scored) {
      if (!storedUuids.has(reading.uuid)) continue;
      const state = alertStates.get(reading.device) ?? INITIAL_ALERT_STATE;
      const decision = decideAlert(
        state,
        { reading, prediction, now: clock.now() },
        options.alerts,
      );
      alertStates.set(reading.device, decision.state);
      if (!decision.alert) continue;
      const alert = await store.saveAlert(decision.alert);
      raised++;
      try {
        await notifier.notify(alert);
      } catch (error) {
        stats.notify_failures++;
        log.error("alert stored but not delivered", {
          alert: decision.alert.id,
          error: (error as Error).message,
        });
      }
    }
    return raised;
  }

  return {
    async handleBatch(batch) {
      const readings = await decodeAll(batch);
      const deadLetterCount = batch.messages.length - readings.length;
      await seedWindows(readings);
      const scored = await score(readings);
      await batch.heartbeat();
      const saved = await store.saveScored(scored);
      const alerts = await raiseAlerts(scored, new Set(saved.storedUuids));
      stats.batches++;
      stats.messages += batch.messages.length;
      stats.stored += saved.stored;
      stats.duplicates += saved.duplicates;
      stats.alerts += alerts;
      return {
        stored: saved.stored,
        duplicates: saved.duplicates,
        deadLetters: deadLetterCount,
        alerts,
      };
    },
    stats: () => ({ ...stats }),
  };
}
