import type { AlertsEnv } from "../shared/config/alerts_env.ts";
import { ALERT_POLICY_DEFAULTS } from "../shared/scoring/alert_policy.ts";
import type { PipelineOptions } from "./create_pipeline.ts";

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
