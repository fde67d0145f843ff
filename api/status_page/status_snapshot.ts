import { limitsFor, MAIN_TEMPERATURE, mainTemperature } from "../../shared/scoring/mod.ts";
import { type DeviceState, deviceState } from "../../shared/store/device_state.ts";
import type { Alert, DeviceStatus, DeviceSummary, Feedback } from "../../shared/store/records.ts";
import type { Store } from "../../shared/store/store.ts";
import type { ChartPoint } from "../../shared/charts/mod.ts";
import type { RecentSeriesCache } from "./recent_series_cache.ts";

/** What the status page shows of one device. */
export interface DeviceTile {
  summary: DeviceSummary;
  state: DeviceState;
  /** The newest reading and its prediction; null for a device whose readings have expired. */
  status: DeviceStatus | null;
  /** The newest temperature (null when its sensor is missing) and the hot limit, °C. */
  temperature: { metric: string; value: number | null; limit: number };
  /** The temperature over the chart's period: min, mean and max per step, then the newest. */
  series: ChartPoint[];
  /** Times (ms) of the device's alerts in the chart's period. */
  alertTimes: number[];
}

/** One of the newest alerts and the owner's verdict on it, if any. */
export interface AlertRow {
  alert: Alert;
  verdict: Feedback["verdict"] | null;
}

export interface StatusSnapshot {
  /** When it was read, ms. */
  now: number;
  /** The charts' period, ms: `[from, now]`. */
  from: number;
  /** The first devices by name, at most `maxDevices`. */
  devices: DeviceTile[];
  /** More devices exist than are shown. */
  moreDevices: boolean;
  /** The newest alerts, newest first. */
  alerts: AlertRow[];
}

export type SnapshotStore = Pick<
  Store,
  "listDevices" | "getStatus" | "listReadings" | "listAlerts" | "listFeedback"
>;

export interface SnapshotOptions {
  now: number;
  /** Devices read, 1 to 1000. */
  maxDevices: number;
  /** Alerts listed, 1 to 1000. */
  maxAlerts: number;
  /** The charts' period, ms. */
  chartSpanMs: number;
  /** Where each device's series is kept between refreshes. */
  seriesCache: RecentSeriesCache;
  /** Per-device hot limits, °C (`HOT_LIMITS`); other devices get their profile's default. */
  hotLimits: Readonly<Record<string, number>>;
}

/** Alerts read for the charts' marks: more in the chart period are not marked. */
const MAX_ALERT_MARKS = 500;

/**
 * What the status page shows, read from the store in a bounded number of
 * requests: one page of devices, per device its newest reading and the
 * chart period's readings (through the time index, only the new ones when
 * the series cache holds the rest), one page of the period's alerts for the
 * marks, the newest alerts and the verdicts given for them. Never a scan.
 */
export async function readStatusSnapshot(
  store: SnapshotStore,
  options: SnapshotOptions,
): Promise<StatusSnapshot> {
  const { now, chartSpanMs, hotLimits } = options;
  const from = now - chartSpanMs;
  const [devicePage, recentAlerts, periodAlerts] = await Promise.all([
    store.listDevices({ limit: options.maxDevices }),
    store.listAlerts({ limit: options.maxAlerts }),
    store.listAlerts({ limit: MAX_ALERT_MARKS, after: from - 1, order: "asc" }),
  ]);
  const marks = new Map<string, number[]>();
  for (const alert of periodAlerts.items) {
    const times = marks.get(alert.device) ?? [];
    times.push(Date.parse(alert.timestamp));
    marks.set(alert.device, times);
  }
  const [devices, verdicts] = await Promise.all([
    Promise.all(devicePage.items.map(async (summary): Promise<DeviceTile> => {
      const metric = MAIN_TEMPERATURE[summary.profile];
      const [status, series] = await Promise.all([
        store.getStatus(summary.device),
        options.seriesCache.series(summary, metric, from),
      ]);
      return {
        summary,
        state: deviceState(summary, now),
        status,
        temperature: {
          metric,
          value: status ? mainTemperature(status.reading) : null,
          limit: limitsFor(summary.profile, hotLimits[summary.device]).hotLimitC,
        },
        series,
        alertTimes: marks.get(summary.device) ?? [],
      };
    })),
    verdictsFor(store, recentAlerts.items),
  ]);
  options.seriesCache.keepOnly(new Set(devicePage.items.map((summary) => summary.device)));
  return {
    now,
    from,
    devices,
    moreDevices: devicePage.next_cursor !== null,
    alerts: recentAlerts.items.map((alert) => ({
      alert,
      verdict: verdicts.get(alert.id) ?? null,
    })),
  };
}

/**
 * The verdicts on `alerts` by alert id: feedback is listed by the time of the
 * alert's reading, so one page over the alerts' reading times finds them.
 */
async function verdictsFor(
  store: Pick<Store, "listFeedback">,
  alerts: readonly Alert[],
): Promise<Map<string, Feedback["verdict"]>> {
  if (alerts.length === 0) return new Map();
  const times = alerts.map((alert) => Date.parse(alert.timestamp));
  const page = await store.listFeedback({
    after: Math.min(...times) - 1,
    before: Math.max(...times) + 1,
    limit: 1000,
  });
  const ids = new Set(alerts.map((alert) => alert.id));
  return new Map(
    page.items.filter((f) => ids.has(f.alert_id)).map((f) => [f.alert_id, f.verdict]),
  );
}
