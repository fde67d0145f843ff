import type { DeviceSummary } from "./records.ts";

/** What a device is doing, as the API and the bot show it. */
export interface DeviceState {
  state: "online" | "offline" | "decommissioned";
  /** offline: the time of its last reading; decommissioned: when it was retired; online: null. */
  since: string | null;
  /** Its alerts are held back now. */
  muted: boolean;
  /** The device's own sampling interval (median of its recent gaps), null before two readings. */
  sampling_interval_s: number | null;
}

export interface DeviceStateOptions {
  /** Silence after which a device counts as offline, s; default 3 sampling intervals. */
  offlineAfterS?: number;
}

/** Sampling intervals of silence after which a device counts as offline. */
export const OFFLINE_AFTER_INTERVALS = 3;
/** Assumed until a device has sent two readings: the producer's default interval. */
export const DEFAULT_SAMPLING_INTERVAL_S = 5;

/**
 * Whether a device is online, offline or decommissioned at `now` (ms), from
 * its summary alone. Offline: silent for longer than 3 of its own sampling
 * intervals (the median of its recent gaps), or `offlineAfterS`.
 * Decommissioned wins over both.
 */
export function deviceState(
  summary: DeviceSummary,
  now: number,
  options: DeviceStateOptions = {},
): DeviceState {
  const { offlineAfterS } = options;
  if (offlineAfterS !== undefined && !(Number.isFinite(offlineAfterS) && offlineAfterS > 0)) {
    throw new RangeError(
      `Cannot tell the device's state: 'offlineAfterS' must be a positive number, got ${offlineAfterS}`,
    );
  }
  const interval = samplingIntervalS(summary);
  const muted = summary.muted_until !== null && Date.parse(summary.muted_until) > now;
  const base = { muted, sampling_interval_s: interval };
  if (summary.decommissioned_at !== null) {
    return { state: "decommissioned", since: summary.decommissioned_at, ...base };
  }
  const silentAfterS = offlineAfterS ??
    OFFLINE_AFTER_INTERVALS * (interval ?? DEFAULT_SAMPLING_INTERVAL_S);
  const silentMs = now - Date.parse(summary.last_seen);
  return silentMs > silentAfterS * 1000
    ? { state: "offline", since: summary.last_seen, ...base }
    : { state: "online", since: null, ...base };
}

/** The median of the device's recent gaps between readings, s; null before it has one. */
export function samplingIntervalS(summary: DeviceSummary): number | null {
  const gaps = [...summary.recent_gaps_s].sort((a, b) => a - b);
  if (gaps.length === 0) return null;
  const middle = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}
