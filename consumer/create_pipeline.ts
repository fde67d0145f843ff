import { limitsFor, type StressLimits } from "../shared/scoring/stressed.ts";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import type { Reading } from "../shared/reading/mod.ts";
import type { NewAlert } from "../shared/store/records.ts";
import type { SaveResult, ScoredReading, Store } from "../shared/store/store.ts";
import type { Batch } from "../shared/transport/transport.ts";
import { decideAlert, decideOnline } from "../shared/scoring/alert_policy.ts";
import type { DeadLetterSink } from "./dead_letter_sink.ts";
import { createDeviceWindows, type WindowEntry } from "./device_windows.ts";
import { createAlertDesk } from "./alert_desk.ts";
import { createOfflineWatch } from "./offline_watch.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import { createUnknownFieldLog } from "./unknown_fields_log.ts";
import {
  type GivenPipelineOptions,
  PIPELINE_DEFAULTS,
  type PipelineOptions,
  resolvePipelineOptions,
} from "./pipeline_options.ts";
import { decodeBatch } from "./decode_batch.ts";
import { windowsFromStore } from "./late_windows.ts";
import { samePrediction, scoreReadings } from "./score_readings.ts";

export { PIPELINE_DEFAULTS, type PipelineOptions };

export interface PipelineDeps {
  store: Store;
  scorer: Scorer;
  notifier: Notifier;
  deadLetters: DeadLetterSink;
  clock: Clock;
  log: Logger;
  /** Options over {@linkcode PIPELINE_DEFAULTS}; `alerts` over the policy's defaults. */
  options?: GivenPipelineOptions;
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
  const options: PipelineOptions = resolvePipelineOptions(deps.options);
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

  const decodeAll = (batch: Batch) =>
    decodeBatch(batch, {
      deadLetters,
      unknownFields,
      clock,
      log,
      onDeadLetter: () => stats.dead_letters++,
    });

  /** Seeds the windows of devices met for the first time from the store, and loads their alert states. */
  async function prepare(devices: readonly string[]): Promise<void> {
    await desk.load(devices);
    for (const device of devices) {
      if (windows.has(device)) continue;
      const recent = await store.listReadings(device, { limit: retain });
      windows.seed(device, recent.items, { complete: recent.next_cursor === null });
    }
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
    const lateWindows = await windowsFromStore(late, { store, size });
    const predictions = await scoreReadings([
      ...scoring.map((entry) => ({
        reading: entry.reading,
        window: windows.windowFor(entry.reading),
      })),
      ...late.map((reading, i) => ({ reading, window: lateWindows[i]! })),
    ], { scorer, threshold: options.threshold, limitsOf, now });
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
