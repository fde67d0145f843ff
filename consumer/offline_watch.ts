import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { decideOffline } from "../shared/scoring/alert_policy.ts";
import {
  DEFAULT_SAMPLING_INTERVAL_S,
  deviceState,
  OFFLINE_AFTER_INTERVALS,
} from "../shared/store/device_state.ts";
import { nextSummary } from "../shared/store/device_summary.ts";
import type { DeviceSummary, NewAlert } from "../shared/store/records.ts";
import type { ScoredReading, Store } from "../shared/store/store.ts";
import type { AlertDesk } from "./alert_desk.ts";

export interface OfflineWatchOptions {
  /** Silence after which every device counts as offline, s; default 3 of its own sampling intervals. */
  offlineAfterS?: number;
  /** How often the watch looks, ms. Default 5,000. */
  checkEveryMs: number;
}

export const OFFLINE_WATCH_DEFAULTS: OfflineWatchOptions = { checkEveryMs: 5_000 };

/** Devices per page when the watch reads the device list at start. */
const SEED_PAGE = 1000;

export interface OfflineWatchDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  desk: AlertDesk;
  options?: Partial<OfflineWatchOptions>;
  /** Work for each tick before the look, in the same turn of the desk (the pipeline's readings that waited long enough). */
  beforeCheck?: () => Promise<void>;
}

export interface OfflineWatch {
  /** Reads the store's device list (a page at a time) and starts looking every `checkEveryMs`. */
  start(): Promise<void>;
  /** Stops looking; waits for a look in progress. */
  stop(): Promise<void>;
  /** Stored readings: their devices are online as of their newest reading. */
  note(scored: readonly ScoredReading[]): void;
  /** One look now, as each tick does (within the desk's turn); returns the offline alerts raised. */
  check(): Promise<number>;
  /** Devices it watches. */
  readonly size: number;
}

/**
 * The consumer's clock for devices that went silent: a timer that looks at
 * every known device (in memory: seeded from the store's device list at
 * start, kept current by the readings the pipeline stores) and raises
 * `offline` once for a device silent longer than 3 of its own sampling
 * intervals (the median of its recent gaps, `deviceState()`), or
 * `offlineAfterS`. Before it raises one it reads the device's summary again,
 * so a device another consumer stores readings for, one decommissioned
 * meanwhile (never reported) or one muted (stored `muted`) is seen as it is.
 * The device's next reading raises `online` (the pipeline does).
 */
export function createOfflineWatch(deps: OfflineWatchDeps): OfflineWatch {
  const { store, clock, log, desk } = deps;
  const options = { ...OFFLINE_WATCH_DEFAULTS, ...deps.options };
  const { offlineAfterS, checkEveryMs } = options;
  if (offlineAfterS !== undefined && !(Number.isFinite(offlineAfterS) && offlineAfterS > 0)) {
    throw new RangeError(
      `Cannot watch for offline devices: 'offlineAfterS' must be a positive number, got ${offlineAfterS}`,
    );
  }
  if (!(Number.isFinite(checkEveryMs) && checkEveryMs >= 100)) {
    throw new RangeError(
      `Cannot watch for offline devices: 'checkEveryMs' must be at least 100, got ${checkEveryMs}`,
    );
  }
  const known = new Map<string, DeviceSummary>();
  const abort = new AbortController();
  let loop: Promise<void> | null = null;

  const silent = (summary: DeviceSummary, now: number) =>
    deviceState(summary, now, { offlineAfterS }).state === "offline";

  async function look(): Promise<number> {
    const now = clock.now();
    const candidates = [...known.values()].filter((summary) => silent(summary, now));
    if (candidates.length === 0) return 0;
    await desk.load(candidates.map((summary) => summary.device));
    const alerts: NewAlert[] = [];
    const summaries = new Map<string, DeviceSummary>();
    for (const candidate of candidates) {
      const { device } = candidate;
      if (desk.state(device).offline !== null) continue; // reported already
      const summary = await store.getDevice(device);
      if (!summary) {
        known.delete(device);
        continue;
      }
      known.set(device, summary);
      const state = deviceState(summary, now, { offlineAfterS });
      if (state.state !== "offline") continue;
      const interval = state.sampling_interval_s;
      const decision = decideOffline(desk.state(device), {
        device,
        profile: summary.profile,
        simulated: summary.simulated,
        lastSeen: Date.parse(summary.last_seen),
        now,
        offlineAfterS: offlineAfterS ??
          OFFLINE_AFTER_INTERVALS * (interval ?? DEFAULT_SAMPLING_INTERVAL_S),
        samplingIntervalS: interval,
      });
      if (!decision.alert) continue;
      desk.update(device, decision.state);
      alerts.push(decision.alert);
      summaries.set(device, summary);
    }
    try {
      const stored = await desk.store(alerts, summaries);
      await desk.saveStates();
      await desk.notify(stored);
    } catch (error) {
      // Not stored: the next look decides again from the store's states.
      desk.forget(summaries.keys());
      throw error;
    }
    return alerts.length;
  }

  const tick = () =>
    desk.exclusive(async () => {
      await deps.beforeCheck?.();
      return await look();
    });

  return {
    async start() {
      if (loop) throw new Error("Cannot start the offline watch: it is running");
      let cursor: string | undefined;
      do {
        const page = await store.listDevices({ limit: SEED_PAGE, cursor });
        for (const summary of page.items) {
          if (!known.has(summary.device)) known.set(summary.device, summary);
        }
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      log.info("watching devices for silence", {
        devices: known.size,
        offline_after_s: offlineAfterS ?? `${OFFLINE_AFTER_INTERVALS} sampling intervals`,
      });
      loop = (async () => {
        while (!abort.signal.aborted) {
          try {
            await clock.sleep(checkEveryMs, abort.signal);
          } catch {
            return; // stopped
          }
          try {
            await tick();
          } catch (error) {
            log.error("offline check failed; trying again at the next one", {
              error: (error as Error).message,
            });
          }
        }
      })();
    },
    async stop() {
      abort.abort();
      await loop;
    },
    note(scored) {
      for (const [device, items] of Map.groupBy(scored, (item) => item.reading.device)) {
        known.set(device, nextSummary(known.get(device) ?? null, items));
      }
    },
    check: tick,
    get size() {
      return known.size;
    },
  };
}
