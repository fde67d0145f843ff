import { z } from "zod";
import { ALERT_POLICY_DEFAULTS } from "../scoring/alert_policy.ts";
import { RULE_THRESHOLD } from "../scoring/rule_scorer.ts";
import { envInt, envNumber, envNumberMap } from "./parse_env.ts";

/**
 * Config piece: when a device counts as stressed and how often its owner
 * hears about it, when a stress episode is over, and when a silent device
 * counts as offline. The defaults are the rule's and the alert policy's (in
 * the scoring core); the consumer turns them into pipeline options with
 * `pipelineOptionsFrom()` (consumer/pipeline_options.ts).
 */
export const AlertsEnv = z.object({
  ALERT_THRESHOLD: envNumber(0.01, 1).default(RULE_THRESHOLD),
  ALERT_COOLDOWN_S: envInt(0, 86_400).default(ALERT_POLICY_DEFAULTS.cooldownMs / 1000),
  HOT_LIMITS: envNumberMap(30, 130).default({}),
  /** Tell the owner when a stress episode ends (a "recovered" alert). */
  ALERT_RESOLVED: z.enum(["true", "false"], { error: "must be true or false" })
    .default(ALERT_POLICY_DEFAULTS.resolved ? "true" : "false")
    .transform((value) => value === "true"),
  /** Readings in a row below the re-arm level that end an episode. */
  ALERT_RESOLVE_READINGS: envInt(1, 1000).default(ALERT_POLICY_DEFAULTS.resolveReadings),
  /** Least time between two under-voltage alerts of a device. */
  ALERT_UNDER_VOLTAGE_COOLDOWN_S: envInt(0, 7 * 86_400).default(
    ALERT_POLICY_DEFAULTS.underVoltageCooldownMs / 1000,
  ),
  /** Silence after which every device counts as offline; unset: 3 of its own sampling intervals. */
  OFFLINE_AFTER_S: envNumber(1, 7 * 86_400).optional(),
});

export type AlertsEnv = z.output<typeof AlertsEnv>;
