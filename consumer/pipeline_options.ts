import type { AlertsEnv } from "../shared/config/alerts_env.ts";
import {
  ALERT_POLICY_DEFAULTS,
  type AlertPolicyOptions,
  checkAlertPolicyOptions,
} from "../shared/scoring/alert_policy.ts";
import { RULE_THRESHOLD } from "../shared/scoring/rule_scorer.ts";
import { OFFLINE_WATCH_DEFAULTS } from "./offline_watch.ts";

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

/** Options as a caller gives them: over {@linkcode PIPELINE_DEFAULTS}; `alerts` over the policy's defaults. */
export type GivenPipelineOptions =
  & Partial<Omit<PipelineOptions, "alerts">>
  & { alerts?: Partial<AlertPolicyOptions> };

/** The pipeline's options over their defaults, checked: a RangeError says which one is wrong. */
export function resolvePipelineOptions(given: GivenPipelineOptions | undefined): PipelineOptions {
  const options: PipelineOptions = {
    ...PIPELINE_DEFAULTS,
    ...given,
    alerts: { ...ALERT_POLICY_DEFAULTS, ...given?.alerts },
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
  return options;
}

/** The consumer pipeline's options from the alert settings (`AlertsEnv`). */
export function pipelineOptionsFrom(env: AlertsEnv): Partial<PipelineOptions> {
  return {
    threshold: env.ALERT_THRESHOLD,
    hotLimits: env.HOT_LIMITS,
    alerts: {
      ...ALERT_POLICY_DEFAULTS,
      cooldownMs: env.ALERT_COOLDOWN_S * 1000,
      resolved: env.ALERT_RESOLVED,
      resolveReadings: env.ALERT_RESOLVE_READINGS,
      underVoltageCooldownMs: env.ALERT_UNDER_VOLTAGE_COOLDOWN_S * 1000,
    },
    ...(env.OFFLINE_AFTER_S !== undefined ? { offlineAfterS: env.OFFLINE_AFTER_S } : {}),
  };
}
