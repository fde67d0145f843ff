import type { NewAlert, Prediction } from "../store/records.ts";
import type { Reading } from "../reading/mod.ts";

export interface AlertPolicyOptions {
  /** Least time between two alerts for one device, ms. Default 15 min. */
  cooldownMs: number;
  /** After an alert, the probability must fall below this before another one. Default {@linkcode rearmLevel}. */
  rearmBelow?: number;
  /** Readings older than this (against the clock) never alert: a replayed backlog is history. Default 5 min. */
  maxAgeMs: number;
}

export const ALERT_POLICY_DEFAULTS: AlertPolicyOptions = {
  cooldownMs: 15 * 60_000,
  maxAgeMs: 5 * 60_000,
};

/** Share of the threshold the probability must fall below to re-arm. */
export const REARM_SHARE = 0.7;

/**
 * Where the policy re-arms by default: 70 % of the threshold (0.35 for 0.5,
 * 0.105 for a model's 0.15), so a low threshold still re-arms.
 */
export function rearmLevel(threshold: number): number {
  return threshold * REARM_SHARE;
}

/** Per-device memory of the policy. */
export interface AlertState {
  /** Reading time of the last alert, ms. */
  lastAlertAt: number | null;
  /** False after an alert until the probability falls below `rearmBelow`. */
  armed: boolean;
}

export const INITIAL_ALERT_STATE: AlertState = { lastAlertAt: null, armed: true };

export interface AlertDecision {
  state: AlertState;
  alert: NewAlert | null;
}

/**
 * Decides whether a prediction raises an alert. Pure: the caller keeps the
 * state. An alert is raised when the prediction says "stressed soon", the
 * policy is armed (the probability fell back since the last alert), the
 * cooldown has passed and the reading is recent.
 */
export function decideAlert(
  state: AlertState,
  input: { prediction: Prediction; reading: Reading; now: number },
  options: AlertPolicyOptions = ALERT_POLICY_DEFAULTS,
): AlertDecision {
  const { prediction, reading, now } = input;
  const time = Date.parse(prediction.timestamp);
  const rearmBelow = options.rearmBelow ?? rearmLevel(prediction.threshold);
  if (!prediction.stressed_soon) {
    const armed = state.armed || prediction.probability < rearmBelow;
    return { state: armed === state.armed ? state : { ...state, armed }, alert: null };
  }
  const cooled = state.lastAlertAt === null || time - state.lastAlertAt >= options.cooldownMs;
  const recent = now - time <= options.maxAgeMs;
  if (!state.armed || !cooled || !recent) return { state, alert: null };
  return {
    state: { lastAlertAt: time, armed: false },
    alert: {
      id: `${prediction.device}-${prediction.reading_uuid}`,
      device: prediction.device,
      profile: reading.profile,
      kind: "stress",
      raised_at: new Date(now).toISOString(),
      timestamp: prediction.timestamp,
      reading_uuid: prediction.reading_uuid,
      probability: prediction.probability,
      threshold: prediction.threshold,
      model: prediction.model,
      reasons: prediction.reasons,
      message: alertMessage(prediction),
      ...(reading.simulated ? { simulated: true } : {}),
    },
  };
}

function alertMessage(prediction: Prediction): string {
  const what = prediction.stressed_now
    ? "is stressed now"
    : "is likely to be stressed within a minute";
  const why = prediction.reasons[0] ? `: ${prediction.reasons[0]}` : "";
  return `${prediction.device} ${what} (p=${prediction.probability.toFixed(2)})${why}`;
}
