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
    ALERT_RESOLVED: true,
    ALERT_RESOLVE_READINGS: 3,
    ALERT_UNDER_VOLTAGE_COOLDOWN_S: 3600,
    OFFLINE_AFTER_S: undefined,
  });
});

Deno.test("AlertsEnv names a bad threshold or hot limit", () => {
  assert.throws(
    () => parseEnv(AlertsEnv, { ALERT_THRESHOLD: "2", HOT_LIMITS: "pc1=500" }),
    /ALERT_THRESHOLD is '2': must be at most 1[\s\S]*HOT_LIMITS is 'pc1=500'/,
  );
});

Deno.test("AlertsEnv names a bad episode or offline setting", () => {
  assert.throws(
    () =>
      parseEnv(AlertsEnv, {
        ALERT_RESOLVED: "yes",
        ALERT_RESOLVE_READINGS: "0",
        OFFLINE_AFTER_S: "-5",
      }),
    /ALERT_RESOLVED is 'yes': must be true or false[\s\S]*ALERT_RESOLVE_READINGS is '0': must be at least 1[\s\S]*OFFLINE_AFTER_S is '-5': must be at least 1/,
  );
});
