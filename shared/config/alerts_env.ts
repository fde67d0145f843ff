import { z } from "zod";
import { ALERT_POLICY_DEFAULTS } from "../scoring/alert_policy.ts";
import { RULE_THRESHOLD } from "../scoring/rule_scorer.ts";
import { envInt, envNumber, envNumberMap } from "./parse_env.ts";

/**
 * Config piece: when a device counts as stressed and how often its owner
 * hears about it. The defaults are the rule's and the alert policy's (in the
 * scoring core); the consumer turns them into pipeline options with
 * `pipelineOptionsFrom()` (consumer/pipeline_options.ts).
 */
export const AlertsEnv = z.object({
  ALERT_THRESHOLD: envNumber(0.01, 1).default(RULE_THRESHOLD),
  ALERT_COOLDOWN_S: envInt(0, 86_400).default(ALERT_POLICY_DEFAULTS.cooldownMs / 1000),
  HOT_LIMITS: envNumberMap(30, 130).default({}),
});

export type AlertsEnv = z.output<typeof AlertsEnv>;
