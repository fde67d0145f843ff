import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import {
  type AlertState,
  alertStateFrom,
  INITIAL_ALERT_STATE,
} from "../shared/scoring/alert_policy.ts";
import type { Alert, DeviceSummary, NewAlert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";

/**
 * A state whose only change is the newest reading decided is saved at most
 * this often (reading time): a restart decides again at most this much of a
 * device's stored readings, from the same state, to the same alerts (whose
 * ids the store already holds), instead of a write per device per batch.
 */
export const DECIDED_SAVE_EVERY_MS = 60_000;

export interface AlertDeskDeps {
  store: Store;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
}

/** Counters since start. */
export interface AlertDeskStats {
  /** Alerts stored now (pending or muted), by any kind. */
  alerts: number;
  /** Of those, stored as `muted` (not sent). */
  muted: number;
  notify_failures: number;
}

/**
 * The consumer's alert desk: each device's alert-policy state (in memory,
 * read from the store the first time a device is met, saved with every
 * batch), and the one way an alert leaves the consumer: stored first
 * (`pending`, or `muted` while the device is muted), then handed to the
 * notifier as stored. The pipeline and the offline watch share it, and
 * `exclusive()` keeps their work from interleaving.
 */
export interface AlertDesk {
  /** Runs `work` when no other work of the desk runs: batches and offline checks take turns. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Reads the saved states of the devices not in memory yet: one store read for all. */
  load(devices: Iterable<string>): Promise<void>;
  /** A device's state (loaded first); the initial one for a device never decided. */
  state(device: string): AlertState;
  /**
   * Sets a device's state; the next `saveStates()` saves it when it changed
   * more than its newest reading decided, or that moved on a minute.
   */
  update(device: string, state: AlertState): void;
  /** Saves the states changed since the last save. */
  saveStates(): Promise<void>;
  /** Drops devices from memory (after a failed batch: they are read again from the store). */
  forget(devices: Iterable<string>): void;
  /**
   * Stores alerts, each as `muted` while its device is muted (one summary
   * read per device, unless `summaries` has it fresh), and gives back the
   * stored records.
   */
  store(
    alerts: readonly NewAlert[],
    summaries?: ReadonlyMap<string, DeviceSummary>,
  ): Promise<Alert[]>;
  /** Hands stored `pending` alerts to the notifier; a failure is logged and counted, never thrown. */
  notify(alerts: readonly Alert[]): Promise<void>;
  stats(): AlertDeskStats;
}

export function createAlertDesk(deps: AlertDeskDeps): AlertDesk {
  const { store, notifier, clock, log } = deps;
  const states = new Map<string, AlertState>();
  /** The state the store holds, per device, as far as this desk knows. */
  const saved = new Map<string, AlertState>();
  const changed = new Set<string>();
  const stats: AlertDeskStats = { alerts: 0, muted: 0, notify_failures: 0 };
  let turn: Promise<unknown> = Promise.resolve();

  return {
    exclusive(work) {
      const run = turn.then(work, work);
      turn = run.catch(() => {});
      return run;
    },
    async load(devices) {
      const missing = [...new Set(devices)].filter((device) => !states.has(device));
      if (missing.length === 0) return;
      const saved = await store.getAlertStates(missing);
      for (const device of missing) {
        const raw = saved.get(device);
        const state = raw === undefined ? INITIAL_ALERT_STATE : alertStateFrom(raw);
        if (state === null) {
          log.warn("saved alert state not understood, starting the device afresh", {
            device,
            state: JSON.stringify(raw).slice(0, 200),
          });
        }
        states.set(device, state ?? INITIAL_ALERT_STATE);
        saved.set(device, state ?? INITIAL_ALERT_STATE);
      }
    },
    state: (device) => states.get(device) ?? INITIAL_ALERT_STATE,
    update(device, state) {
      if (states.get(device) === state) return;
      states.set(device, state);
      const before = saved.get(device) ?? INITIAL_ALERT_STATE;
      const moved = (state.decidedUpTo ?? -Infinity) - (before.decidedUpTo ?? -Infinity);
      if (moved >= DECIDED_SAVE_EVERY_MS || !sameBesidesDecided(before, state)) changed.add(device);
    },
    async saveStates() {
      if (changed.size === 0) return;
      const batch = new Map([...changed].map((device) => [device, states.get(device)!]));
      await store.saveAlertStates(batch);
      for (const [device, state] of batch) {
        changed.delete(device);
        saved.set(device, state);
      }
    },
    forget(devices) {
      for (const device of devices) {
        states.delete(device);
        saved.delete(device);
        changed.delete(device);
      }
    },
    async store(alerts, known = new Map()) {
      const now = clock.now();
      const summaries = new Map<string, Promise<DeviceSummary | null>>();
      const summaryOf = (device: string) => {
        let summary = summaries.get(device);
        if (!summary) {
          const fresh = known.get(device);
          summary = fresh ? Promise.resolve(fresh) : store.getDevice(device);
          summaries.set(device, summary);
        }
        return summary;
      };
      const stored: Alert[] = [];
      for (const alert of alerts) {
        const summary = await summaryOf(alert.device);
        const muted = summary?.muted_until != null && Date.parse(summary.muted_until) > now;
        const record = await store.saveAlert(muted ? { ...alert, state: "muted" } : alert);
        stored.push(record);
        stats.alerts++;
        if (record.state === "muted") stats.muted++;
        log.debug("alert stored", {
          kind: record.kind,
          device: record.device,
          id: record.id,
          state: record.state,
        });
      }
      return stored;
    },
    async notify(alerts) {
      for (const alert of alerts) {
        if (alert.state !== "pending") continue;
        try {
          await notifier.notify(alert);
        } catch (error) {
          stats.notify_failures++;
          log.error("alert stored but not delivered", {
            alert: alert.id,
            error: (error as Error).message,
          });
        }
      }
    },
    stats: () => ({ ...stats }),
  };
}

/** Whether two states differ in nothing but the newest reading decided. */
function sameBesidesDecided(a: AlertState, b: AlertState): boolean {
  return JSON.stringify({ ...a, decidedUpTo: null }) ===
    JSON.stringify({ ...b, decidedUpTo: null });
}
