import { isStressed, limitsFor, type StressLimits } from "../shared/scoring/stressed.ts";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import { decodeReading, type Reading } from "../shared/reading/mod.ts";
import type { NewAlert, Prediction } from "../shared/store/records.ts";
import type { SaveResult, ScoredReading, Store } from "../shared/store/store.ts";
import type { Batch } from "../shared/transport/transport.ts";
import {
  ALERT_POLICY_DEFAULTS,
  type AlertPolicyOptions,
  checkAlertPolicyOptions,
  decideAlert,
  decideOnline,
} from "../shared/scoring/alert_policy.ts";
import { deadLetterOf, type DeadLetterSink } from "./dead_letter_sink.ts";
import { createDeviceWindows, type WindowEntry } from "./device_windows.ts";
import { createAlertDesk } from "./alert_desk.ts";
import { createOfflineWatch, OFFLINE_WATCH_DEFAULTS } from "./offline_watch.ts";
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
  /** Silence after which a device is offline, s; default 3 of its own sampling intervals. */
  offlineAfterS?: number;
  /** How often the offline watch looks (and readings that waited are decided), ms. Default 5,000. */
  checkEveryMs: number;
  /**
   * How long a reading of a device whose readings come through several
   * partitions waits for the readings before it before its alerts are
   * decided, ms: until a reading this much newer arrives, or this long on
   * the clock. Default 15,000. Devices read from one partition never wait.
   */
  reorderMs: number;
}

export const PIPELINE_DEFAULTS: PipelineOptions = {
  threshold: RULE_THRESHOLD,
  hotLimits: {},
  alerts: ALERT_POLICY_DEFAULTS,
  checkEveryMs: OFFLINE_WATCH_DEFAULTS.checkEveryMs,
  reorderMs: 15_000,
};

export interface PipelineDeps {
  store: Store;
  scorer: Scorer;
  notifier: Notifier;
  deadLetters: DeadLetterSink;
  clock: Clock;
  log: Logger;
  /** Options over {@linkcode PIPELINE_DEFAULTS}; `alerts` over the policy's defaults. */
  options?: Partial<Omit<PipelineOptions, "alerts">> & { alerts?: Partial<AlertPolicyOptions> };
}

/** Counters since start, for logs and /metrics. */
export interface PipelineStats {
  batches: number;
  messages: number;
  stored: number;
  duplicates: number;
  dead_letters: number;
  /** Alerts stored, of every kind (offline ones included). */
  alerts: number;
  /** Of those, stored as `muted`. */
  alerts_muted: number;
  notify_failures: number;
  /** Stored predictions replaced once a reading that arrived late filled their window. */
  rescored: number;
  /** Readings older than the consumer's memory of their device, scored from the store's. */
  late: number;
}

export interface BatchResult {
  stored: number;
  duplicates: number;
  deadLetters: number;
  /** Alerts stored by this batch, of every kind. */
  alerts: number;
}

export interface Pipeline {
  /** Decodes, scores, stores and alerts on one batch. Throws (so the batch is redelivered) when storing fails. */
  handleBatch(batch: Batch): Promise<BatchResult>;
  /** Starts the pipeline's own clock: the offline watch (reads the store's device list first). */
  start(): Promise<void>;
  /** Stops the offline watch. */
  stop(): Promise<void>;
  stats(): PipelineStats;
}

/** A decoded reading and the topic-partition it came from. */
interface Arrival {
  reading: Reading;
  source: string;
}

/**
 * The consumer pipeline: decode -> validate -> per-device window -> score ->
 * store -> decide -> store alerts -> notify.
 *
 * - **Windows by reading time.** Each device's readings are kept in the
 *   order of their own time stamps (`device_windows.ts`); a reading that
 *   arrives late lands in its place and the readings whose windows it joins
 *   are scored again, their stored predictions replaced. A reading older
 *   than what memory holds is scored from the store's readings before it.
 * - **Decisions by reading time.** The alert policy decides a device's
 *   readings in time order once they are settled: at once for a device read
 *   from one partition; for one whose readings come through several, once a
 *   reading `reorderMs` newer arrived or it waited `reorderMs`. So the same
 *   readings in any order give the same scores and alerts.
 * - **State across restarts.** The policy's state per device is read from the
 *   store when a device is first met and saved with every batch, after its
 *   alerts and before the batch resolves (and is committed).
 * - Bad messages go to the dead-letter sink and the batch goes on; if the
 *   sink fails, the batch fails, so nothing is committed. Readings and
 *   predictions are stored before any alert, and alerts (`pending`, or
 *   `muted`) before the notifier is called, so a notifier outage loses
 *   nothing. A batch that fails makes the pipeline forget its devices: the
 *   store is the truth, and they are read again.
 */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const options: PipelineOptions = {
    ...PIPELINE_DEFAULTS,
    ...deps.options,
    alerts: { ...ALERT_POLICY_DEFAULTS, ...deps.options?.alerts },
  };
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    throw new RangeError(
      `Cannot create pipeline: 'threshold' must be in (0, 1], got ${options.threshold}`,
    );
  }
  if (!(Number.isFinite(options.reorderMs) && options.reorderMs >= 0)) {
    throw new RangeError(
      `Cannot create pipeline: 'reorderMs' must be 0 or more, got ${options.reorderMs}`,
    );
  }
  checkAlertPolicyOptions(options.alerts);
  const { store, scorer, notifier, deadLetters, clock, log } = deps;
  // The scorer says how many readings its windows need (the rule 1, a model 12).
  const size = scorer.windowSize;
  const retain = 2 * size;
  const windows = createDeviceWindows({ size, retain });
  const desk = createAlertDesk({ store, notifier, clock, log });
  /** Devices with readings still to be decided. */
  const waiting = new Set<string>();
  const watch = createOfflineWatch({
    store,
    clock,
    log: log.child("offline"),
    desk,
    options: { offlineAfterS: options.offlineAfterS, checkEveryMs: options.checkEveryMs },
    beforeCheck: async () => {
      const devices = [...waiting];
      if (devices.length > 0) await guarded(devices, () => process(devices, clock.now()));
    },
  });
  const unknownFields = createUnknownFieldLog(log);
  const stats = {
    batches: 0,
    messages: 0,
    stored: 0,
    duplicates: 0,
    dead_letters: 0,
    rescored: 0,
    late: 0,
  };

  const limitsOf = (reading: Reading): StressLimits => ({
    ...limitsFor(reading.profile, options.hotLimits[reading.device]),
    observedMaxClockMhz: windows.maxClock(reading.device, Date.parse(reading.timestamp)),
  });

  async function decodeAll(batch: Batch): Promise<Arrival[]> {
    const arrivals: Arrival[] = [];
    for (const message of batch.messages) {
      try {
        const reading = decodeReading(message.value);
        unknownFields.note(reading);
        arrivals.push({ reading, source: `${message.topic}:${message.partition}` });
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
    return arrivals.sort((a, b) =>
      Date.parse(a.reading.timestamp) - Date.parse(b.reading.timestamp)
    );
  }

  /** Seeds the windows of devices met for the first time from the store, and loads their alert states. */
  async function prepare(devices: readonly string[]): Promise<void> {
    await desk.load(devices);
    for (const device of devices) {
      if (windows.has(device)) continue;
      const recent = await store.listReadings(device, { limit: retain });
      windows.seed(device, recent.items, { complete: recent.next_cursor === null });
    }
  }

  /** The window of each reading older than memory, from the store's readings before it. */
  async function windowsFromStore(late: readonly Reading[]): Promise<Reading[][]> {
    const around = new Map<string, Reading[]>();
    for (const [device, mine] of Map.groupBy(late, (r) => r.device)) {
      const times = mine.map((r) => Date.parse(r.timestamp));
      const first = Math.min(...times), last = Math.max(...times);
      const known = new Map(mine.map((r) => [r.uuid, r]));
      if (size > 1) {
        const before = await store.listReadings(device, {
          before: first,
          order: "desc",
          limit: size - 1,
        });
        for (const r of before.items) known.set(r.uuid, r);
        let cursor: string | undefined;
        do {
          const page = await store.listReadings(device, {
            after: first - 1,
            before: last + 1,
            order: "asc",
            limit: 1000,
            cursor,
          });
          for (const r of page.items) if (!known.has(r.uuid)) known.set(r.uuid, r);
          cursor = page.next_cursor ?? undefined;
        } while (cursor !== undefined);
      }
      around.set(device, [...known.values()].sort(byTime));
    }
    return late.map((reading) => {
      const all = around.get(reading.device)!;
      const end = all.findIndex((r) => r.uuid === reading.uuid);
      return all.slice(Math.max(0, end + 1 - size), end + 1);
    });
  }

  async function score(
    items: readonly { reading: Reading; window: readonly Reading[] }[],
    now: number,
  ): Promise<Prediction[]> {
    if (items.length === 0) return [];
    const inputs = items.map(({ reading, window }) => ({
      device: reading.device,
      profile: reading.profile,
      window,
      limits: limitsOf(reading),
    }));
    const scores = await scorer.score(inputs);
    const scoredAt = new Date(now).toISOString();
    return items.map(({ reading }, i) => {
      const { probability, model, reasons } = scores[i]!;
      // A trained model brings the threshold chosen for it; the rule uses the configured one.
      const threshold = scores[i]!.threshold ?? options.threshold;
      return {
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
    });
  }

  /** Whether a reading's window can no longer change: its alerts may be decided. */
  const settled = (device: string, entry: WindowEntry, now: number) =>
    entry.fromStore || size === 1 || windows.sourceCount(device) <= 1 ||
    windows.newest(device)! - entry.time >= options.reorderMs ||
    now - entry.arrivedAt >= options.reorderMs;

  /**
   * Scores, stores and decides: the batch's new readings (`fresh`, already
   * in the windows) and those older than memory (`late`), the readings of
   * `devices` whose windows changed, and every reading of `devices` now
   * settled, in time order.
   */
  async function process(
    devices: readonly string[],
    now: number,
    fresh: readonly WindowEntry[] = [],
    late: readonly Reading[] = [],
    heartbeat?: () => Promise<void>,
  ): Promise<{ saved: SaveResult; alerts: number }> {
    const isFresh = new Set(fresh);
    const toDecide = new Map<string, WindowEntry[]>();
    const toScore = new Set<WindowEntry>(fresh);
    for (const device of devices) {
      const decidedUpTo = desk.state(device).decidedUpTo ?? -Infinity;
      const ready: WindowEntry[] = [];
      let open = true;
      for (const entry of windows.entries(device)) {
        const decided = entry.time <= decidedUpTo;
        if (!decided && open && !settled(device, entry, now)) open = false;
        if (!decided && !open) continue;
        if (entry.stale || (!decided && entry.prediction === null)) toScore.add(entry);
        if (!decided) ready.push(entry);
      }
      if (ready.length > 0) toDecide.set(device, ready);
      if (open) waiting.delete(device);
      else waiting.add(device);
    }
    const scoring = [...toScore];
    const lateWindows = await windowsFromStore(late);
    const predictions = await score([
      ...scoring.map((entry) => ({
        reading: entry.reading,
        window: windows.windowFor(entry.reading),
      })),
      ...late.map((reading, i) => ({ reading, window: lateWindows[i]! })),
    ], now);
    await heartbeat?.();
    const replaced: ScoredReading[] = [];
    scoring.forEach((entry, i) => {
      const prediction = predictions[i]!;
      if (entry.stale && !isFresh.has(entry) && !samePrediction(entry.prediction, prediction)) {
        replaced.push({ reading: entry.reading, prediction });
      }
      entry.stale = false;
      entry.prediction = prediction;
    });

    const fresher: ScoredReading[] = [
      ...fresh.map((entry) => ({ reading: entry.reading, prediction: entry.prediction! })),
      ...late.map((reading, i) => ({ reading, prediction: predictions[scoring.length + i]! })),
    ];
    const saved: SaveResult = fresher.length > 0
      ? await store.saveScored(fresher)
      : { stored: 0, duplicates: 0, storedUuids: [] };
    if (replaced.length > 0) stats.rescored += await store.replacePredictions(replaced);
    stats.late += late.length;

    const alerts: NewAlert[] = [];
    const storedNow = new Set(saved.storedUuids);
    for (const [device, mine] of Map.groupBy(fresher, (item) => item.reading.device)) {
      let state = desk.state(device);
      for (const { reading } of mine) {
        if (!storedNow.has(reading.uuid)) continue;
        const decision = decideOnline(state, { reading, now });
        state = decision.state;
        if (decision.alert) alerts.push(decision.alert);
      }
      desk.update(device, state);
    }
    for (const [device, ready] of toDecide) {
      let state = desk.state(device);
      for (const entry of ready) {
        const decision = decideAlert(state, {
          reading: entry.reading,
          prediction: entry.prediction!,
          now,
          window: windows.windowFor(entry.reading),
          limits: limitsOf(entry.reading),
        }, options.alerts);
        state = decision.state;
        alerts.push(...decision.alerts);
      }
      desk.update(device, state);
    }
    const stored = await desk.store(alerts);
    await desk.saveStates();
    await desk.notify(stored);
    for (const device of devices) windows.trim(device, desk.state(device).decidedUpTo);
    watch.note(fresher.filter((item) => storedNow.has(item.reading.uuid)));
    return { saved, alerts: stored.length };
  }

  /** Runs `work`; if it fails, forgets `devices` (the store is the truth) and throws. */
  async function guarded<T>(devices: readonly string[], work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      for (const device of devices) {
        windows.forget(device);
        waiting.delete(device);
      }
      desk.forget(devices);
      throw error;
    }
  }

  return {
    handleBatch: (batch) =>
      desk.exclusive(async () => {
        const arrivals = await decodeAll(batch);
        const batchDevices = [...new Set(arrivals.map((a) => a.reading.device))];
        const devices = [...new Set([...batchDevices, ...waiting])];
        return await guarded(devices, async () => {
          await prepare(batchDevices);
          const now = clock.now();
          const late: Reading[] = [];
          const added = new Set<string>();
          let repeated = 0;
          for (const { reading, source } of arrivals) {
            const result = windows.add(reading, { source, arrivedAt: now });
            if (result === "added") added.add(reading.uuid);
            else if (result === "duplicate") repeated++;
            else late.push(reading);
          }
          const fresh = batchDevices.flatMap((device) =>
            windows.entries(device).filter((entry) => added.has(entry.reading.uuid))
          );
          const { saved, alerts } = await process(devices, now, fresh, late, batch.heartbeat);
          stats.batches++;
          stats.messages += batch.messages.length;
          stats.stored += saved.stored;
          stats.duplicates += saved.duplicates + repeated;
          return {
            stored: saved.stored,
            duplicates: saved.duplicates + repeated,
            deadLetters: batch.messages.length - arrivals.length,
            alerts,
          };
        });
      }),
    start: () => watch.start(),
    stop: () => watch.stop(),
    stats: () => {
      const alerts = desk.stats();
      return {
        ...stats,
        alerts: alerts.alerts,
        alerts_muted: alerts.muted,
        notify_failures: alerts.notify_failures,
      };
    },
  };
}

function byTime(a: Reading, b: Reading): number {
  return Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.uuid < b.uuid ? -1 : 1);
}

/** Whether a prediction scored again says the same (its time of scoring aside). */
function samePrediction(before: Prediction | null, after: Prediction): boolean {
  return before !== null && before.probability === after.probability &&
    before.stressed_now === after.stressed_now && before.model === after.model &&
    before.threshold === after.threshold && before.reasons.join("\n") === after.reasons.join("\n");
}
