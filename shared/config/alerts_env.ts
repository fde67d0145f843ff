import { z } from "zod";
import { ALERT_POLICY_DEFAULTS } from "../../consumer/alert_policy.ts";
import { PIPELINE_DEFAULTS, type PipelineOptions } from "../../consumer/create_pipeline.ts";
import { envInt, envNumber, envNumberMap } from "./parse_env.ts";

/**
 * Config piece: when a device counts as stressed and how often its owner
 * hears about it. The defaults are the pipeline's and the alert policy's.
 */
export const AlertsEnv = z.object({
  ALERT_THRESHOLD: envNumber(0.01, 1).default(PIPELINE_DEFAULTS.threshold),
  ALERT_COOLDOWN_S: envInt(0, 86_400).default(ALERT_POLICY_DEFAULTS.cooldownMs / 1000),
  HOT_LIMITS: envNumberMap(30, 130).default(PIPELINE_DEFAULTS.hotLimits),
});

export type AlertsEnv = z.output<typeof AlertsEnv>;

/** The consumer pipeline's options from the alert settings. */
export function pipelineOptionsFrom(env: AlertsEnv): Partial<PipelineOptions> {
  return {
    threshold: env.ALERT_THRESHOLD,
    hotLimits: env.HOT_LIMITS,
    alerts: { ...ALERT_POLICY_DEFAULTS, cooldownMs: env.ALERT_COOLDOWN_S * 1000 },
  };
}
