import type { NewAlert } from "../store/records.ts";
import type { Profile, Reading } from "../reading/mod.ts";
import { alertIdOf } from "../alerts/alert_id.ts";
import { offlineMessage, onlineMessage } from "../alerts/alert_message.ts";
import type { AlertState } from "./alert_state.ts";
import { alertBase } from "./_alert_base.ts";

export interface OfflineInput {
  device: string;
  profile: Profile;
  simulated?: boolean;
  /** Time of the device's newest reading, ms. */
  lastSeen: number;
  /** The clock, ms. */
  now: number;
  /** Silence after which the device counts as offline, s. */
  offlineAfterS: number;
  /** Its own sampling interval, s, when known (for the message). */
  samplingIntervalS: number | null;
}

/**
 * Decides whether a silent device is reported offline: once per silence
 * (until its next reading), when it has been silent for longer than
 * `offlineAfterS`. The caller leaves out decommissioned devices.
 */
export function decideOffline(
  state: AlertState,
  input: OfflineInput,
): { state: AlertState; alert: NewAlert | null } {
  const { device, lastSeen, now } = input;
  if (state.offline !== null || now - lastSeen <= input.offlineAfterS * 1000) {
    return { state, alert: null };
  }
  const lastSeenIso = new Date(lastSeen).toISOString();
  return {
    state: { ...state, offline: { lastSeen } },
    alert: {
      id: alertIdOf(`${device}-offline-${lastSeenIso}`),
      device,
      profile: input.profile,
      kind: "offline",
      raised_at: new Date(now).toISOString(),
      timestamp: lastSeenIso,
      reading_uuid: null,
      probability: null,
      threshold: null,
      model: null,
      reasons: [],
      message: offlineMessage({
        device,
        simulated: input.simulated,
        lastSeen,
        now,
        samplingIntervalS: input.samplingIntervalS,
        offlineAfterS: input.offlineAfterS,
      }),
      ...(input.simulated ? { simulated: true } : {}),
    },
  };
}

/**
 * Decides whether a reading brings an offline device back: the first reading
 * taken after its last one before the silence raises `online`, whatever
 * order readings arrive in (the id is the silence's, not the reading's).
 */
export function decideOnline(
  state: AlertState,
  input: { reading: Reading; now: number },
): { state: AlertState; alert: NewAlert | null } {
  const { reading, now } = input;
  const at = Date.parse(reading.timestamp);
  if (state.offline === null || at <= state.offline.lastSeen) return { state, alert: null };
  const { lastSeen } = state.offline;
  return {
    state: { ...state, offline: null },
    alert: {
      ...alertBase(reading, now),
      id: alertIdOf(`${reading.device}-online-${new Date(lastSeen).toISOString()}`),
      kind: "online",
      reading_uuid: reading.uuid,
      probability: null,
      threshold: null,
      model: null,
      reasons: [],
      message: onlineMessage({
        device: reading.device,
        simulated: reading.simulated,
        lastSeen,
        readingTime: at,
        now,
      }),
    },
  };
}
