import type { NewAlert, Prediction } from "../store/records.ts";
import { hasThrottledFlag, type Reading } from "../reading/mod.ts";
import { alertIdOf } from "../alerts/alert_id.ts";
import { recoveredMessage, stressMessage, underVoltageMessage } from "../alerts/alert_message.ts";
import { limitsFor, stressCauses, type StressLimits } from "./stressed.ts";
import type { AlertState } from "./alert_state.ts";
import { alertBase } from "./_alert_base.ts";

export * from "./alert_state.ts";
export * from "./offline_alerts.ts";

/**
 * The alert policy: which readings tell the owner something, as pure
 * functions of a per-device state. The consumer keeps the state (in memory
 * and, after every batch, in the store), the evaluation in models/ runs the
 * same functions over recorded traces, so alerts are judged exactly as they
 * are raised.
 *
 * Decisions go by reading time, never by arrival: the caller hands a device's
 * readings over in time order, and a reading at or before the newest one
 * decided (`decidedUpTo`) changes nothing. So the same readings delivered in
 * any order give the same alerts as long as the caller waits for a reading's
 * predecessors before deciding it (the consumer does, see
 * consumer/README.md), and a late reading can never alert twice or reopen an
 * episode. Alert ids are deterministic (see shared/alerts/alert_id.ts), so a
 * decision taken again after a crash stores nothing new.
 *
 * This file decides what a reading raises (stress episodes, under-voltage);
 * the state it keeps per device is in `alert_state.ts` and the offline and
 * online decisions are in `offline_alerts.ts`, both re-exported here.
 */

export interface AlertPolicyOptions {
  /** Least time between two stress alerts for one device, ms (reading time). Default 15 min. */
  cooldownMs: number;
  /** An episode ends once the probability stays below this. Default {@linkcode rearmLevel}. */
  rearmBelow?: number;
  /** Readings older than this (against the clock) never alert: a replayed backlog is history. Default 5 min. */
  maxAgeMs: number;
  /** Readings in a row below `rearmBelow` that end an episode. Default 3. */
  resolveReadings: number;
  /** Tell the owner when an episode ends (a `recovered` alert). Default true. */
  resolved: boolean;
  /** Least time between two under-voltage alerts for one device, ms. Default 1 h. */
  underVoltageCooldownMs: number;
}

export const ALERT_POLICY_DEFAULTS: AlertPolicyOptions = {
  cooldownMs: 15 * 60_000,
  maxAgeMs: 5 * 60_000,
  resolveReadings: 3,
  resolved: true,
  underVoltageCooldownMs: 60 * 60_000,
};

/** Checks the options up front; throws a RangeError naming the bad one. */
export function checkAlertPolicyOptions(options: AlertPolicyOptions): AlertPolicyOptions {
  const bad = (name: string, rule: string, value: unknown) =>
    new RangeError(`Cannot decide alerts: '${name}' must be ${rule}, got ${value}`);
  for (const name of ["cooldownMs", "underVoltageCooldownMs"] as const) {
    const value = options[name];
    if (!(Number.isFinite(value) && value >= 0)) throw bad(name, "a duration of 0 or more", value);
  }
  if (!(Number.isFinite(options.maxAgeMs) && options.maxAgeMs > 0)) {
    throw bad("maxAgeMs", "a positive duration", options.maxAgeMs);
  }
  if (!Number.isInteger(options.resolveReadings) || options.resolveReadings < 1) {
    throw bad("resolveReadings", "a whole number from 1", options.resolveReadings);
  }
  const { rearmBelow } = options;
  if (rearmBelow !== undefined && !(rearmBelow > 0 && rearmBelow <= 1)) {
    throw bad("rearmBelow", "in (0, 1]", rearmBelow);
  }
  return options;
}

/** Share of the threshold the probability must fall below to end an episode. */
export const REARM_SHARE = 0.7;

/**
 * Where an episode ends by default: 70 % of the threshold (0.35 for 0.5,
 * 0.105 for a model's 0.15), so a low threshold still ends one.
 */
export function rearmLevel(threshold: number): number {
  return threshold * REARM_SHARE;
}

/** What one reading brings to the policy. */
export interface AlertInput {
  prediction: Prediction;
  reading: Reading;
  /** The clock, ms: readings older than `maxAgeMs` against it do not alert. */
  now: number;
  /** The device's readings ending with this one, oldest first: the message reads the trend from them. */
  window?: readonly Reading[];
  /** The device's limits (its hot limit); default its profile's. */
  limits?: StressLimits;
}

export interface AlertDecision {
  state: AlertState;
  /** The stress alert this reading raises, if any (what the evaluation counts). */
  alert: NewAlert | null;
  /** Every alert it raises, in order: under-voltage, stress, recovered. */
  alerts: NewAlert[];
}

/**
 * Decides one reading of a device, in time order after the readings before
 * it. Pure: the caller keeps the state.
 *
 * - **Under-voltage now** (a Pi's throttled bit 0, or its hwmon alarm) raises
 *   an `under_voltage` alert at once, whatever the model says, at most once
 *   per `underVoltageCooldownMs`. A reading under-voltage now that is not
 *   hot as well (at its hot limit, or the Pi's soft temperature limit, bit 3)
 *   leaves the stress episode alone: its probability is the stressed-now
 *   floor, and the capped and throttled bits that come with under-voltage
 *   say nothing the under-voltage alert does not. A weak supply so gives one
 *   alert per hour, not a stress episode at every sag.
 * - **Stress episodes**: "stressed soon" while armed, past the cooldown since
 *   the last stress alert, raises a `stress` alert and opens an episode. The
 *   episode ends after `resolveReadings` readings in a row below the re-arm
 *   level, with one `recovered` alert saying how long it lasted (unless
 *   `resolved` is false); then the policy is armed again, but a new alert
 *   still waits for the cooldown.
 * - Readings older than `maxAgeMs` against the clock raise nothing (a
 *   replayed backlog is history) but still move episodes along.
 * - A reading at or before `decidedUpTo` changes nothing.
 */
export function decideAlert(
  state: AlertState,
  input: AlertInput,
  options: AlertPolicyOptions = ALERT_POLICY_DEFAULTS,
): AlertDecision {
  const { prediction, reading, now } = input;
  const at = Date.parse(prediction.timestamp);
  if (state.decidedUpTo !== null && at <= state.decidedUpTo) {
    return { state, alert: null, alerts: [] };
  }
  const limits = input.limits ?? limitsFor(reading.profile);
  const recent = now - at <= options.maxAgeMs;
  const next: AlertState = { ...state, decidedUpTo: at };
  const alerts: NewAlert[] = [];
  const common = alertBase(reading, now);

  const underVoltage = underVoltageNow(reading);
  if (
    underVoltage && recent &&
    (next.lastUnderVoltageAt === null ||
      at - next.lastUnderVoltageAt >= options.underVoltageCooldownMs)
  ) {
    next.lastUnderVoltageAt = at;
    alerts.push({
      ...common,
      id: alertIdOf(`${reading.device}-under_voltage-${reading.uuid}`),
      kind: "under_voltage",
      reading_uuid: reading.uuid,
      probability: null,
      threshold: null,
      model: null,
      reasons: ["power supply too weak: under-voltage now"],
      message: underVoltageMessage({ reading, hotLimitC: limits.hotLimitC }),
    });
  }
  if (underVoltage && !heatedToo(reading, limits)) return { state: next, alert: null, alerts };

  let stress: NewAlert | null = null;
  const rearmBelow = options.rearmBelow ?? rearmLevel(prediction.threshold);
  const episode = next.episode;
  if (episode !== null) {
    if (prediction.probability >= rearmBelow) {
      if (episode.calm > 0) next.episode = { ...episode, calm: 0, calmSince: null };
    } else if (episode.calm + 1 < options.resolveReadings) {
      next.episode = { ...episode, calm: episode.calm + 1, calmSince: episode.calmSince ?? at };
    } else {
      next.episode = null;
      next.armed = true;
      if (options.resolved && recent) {
        alerts.push({
          ...common,
          id: alertIdOf(`${reading.device}-recovered-${new Date(episode.since).toISOString()}`),
          kind: "recovered",
          reading_uuid: reading.uuid,
          probability: prediction.probability,
          threshold: prediction.threshold,
          model: prediction.model,
          reasons: [],
          message: recoveredMessage({
            reading,
            probability: prediction.probability,
            rearmBelow,
            calmReadings: options.resolveReadings,
            since: episode.since,
            calmSince: episode.calmSince ?? at,
            hotLimitC: limits.hotLimitC,
          }),
        });
      }
    }
  } else if (prediction.stressed_soon && recent) {
    const cooled = next.lastAlertAt === null || at - next.lastAlertAt >= options.cooldownMs;
    if (cooled) {
      stress = {
        ...common,
        id: alertIdOf(`${reading.device}-${reading.uuid}`),
        kind: "stress",
        reading_uuid: reading.uuid,
        probability: prediction.probability,
        threshold: prediction.threshold,
        model: prediction.model,
        reasons: prediction.reasons,
        message: stressMessage({
          reading,
          window: input.window,
          probability: prediction.probability,
          stressedNow: prediction.stressed_now,
          reasons: prediction.reasons,
          hotLimitC: limits.hotLimitC,
        }),
      };
      alerts.push(stress);
      next.lastAlertAt = at;
      next.armed = false;
      next.episode = { since: at, calm: 0, calmSince: null };
    }
  }
  return { state: next, alert: stress, alerts };
}

/** A Pi's supply sags now: throttled bit 0, or the kernel's under-voltage alarm. */
export function underVoltageNow(reading: Reading): boolean {
  if (reading.profile !== "raspberry") return false;
  if (reading.under_voltage_alarm === true) return true;
  return reading.throttled != null && hasThrottledFlag(reading.throttled, "under_voltage");
}

/** Heat as well as under-voltage: the hot limit reached, or the Pi's soft temperature limit now. */
function heatedToo(reading: Reading, limits: StressLimits): boolean {
  if (stressCauses(reading, limits).includes("temperature")) return true;
  return reading.profile === "raspberry" && reading.throttled != null &&
    hasThrottledFlag(reading.throttled, "soft_temperature_limit");
}
