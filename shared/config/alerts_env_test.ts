import assert from "node:assert/strict";
import { ALERT_POLICY_DEFAULTS } from "../scoring/alert_policy.ts";
import { RULE_THRESHOLD } from "../scoring/rule_scorer.ts";
import { AlertsEnv } from "./alerts_env.ts";
import { parseEnv } from "./parse_env.ts";

Deno.test("AlertsEnv takes its defaults from the rule and the alert policy", () => {
  assert.deepEqual(parseEnv(AlertsEnv, {}), {
    ALERT_THRESHOLD: RULE_THRESHOLD,
    ALERT_COOLDOWN_S: ALERT_POLICY_DEFAULTS.cooldownMs / 1000,
    HOT_LIMITS: {},
  });
});

Deno.test("AlertsEnv names a bad threshold or hot limit", () => {
  assert.throws(
    () => parseEnv(AlertsEnv, { ALERT_THRESHOLD: "2", HOT_LIMITS: "pc1=500" }),
    /ALERT_THRESHOLD is '2': must be at most 1[\s\S]*HOT_LIMITS is 'pc1=500'/,
  );
});
