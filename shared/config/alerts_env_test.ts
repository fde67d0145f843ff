import assert from "node:assert/strict";
import { ALERT_POLICY_DEFAULTS } from "../../consumer/alert_policy.ts";
import { PIPELINE_DEFAULTS } from "../../consumer/create_pipeline.ts";
import { AlertsEnv, pipelineOptionsFrom } from "./alerts_env.ts";
import { parseEnv } from "./parse_env.ts";

Deno.test("AlertsEnv takes its defaults from the pipeline and the alert policy", () => {
  assert.deepEqual(parseEnv(AlertsEnv, {}), {
    ALERT_THRESHOLD: PIPELINE_DEFAULTS.threshold,
    ALERT_COOLDOWN_S: ALERT_POLICY_DEFAULTS.cooldownMs / 1000,
    HOT_LIMITS: {},
  });
  assert.deepEqual(pipelineOptionsFrom(parseEnv(AlertsEnv, {})), {
    threshold: PIPELINE_DEFAULTS.threshold,
    hotLimits: {},
    alerts: ALERT_POLICY_DEFAULTS,
  });
});

Deno.test("pipelineOptionsFrom() turns the alert settings into pipeline options", () => {
  assert.deepEqual(
    pipelineOptionsFrom({ ALERT_THRESHOLD: 0.7, ALERT_COOLDOWN_S: 60, HOT_LIMITS: { pc1: 85 } }),
    {
      threshold: 0.7,
      hotLimits: { pc1: 85 },
      alerts: { ...ALERT_POLICY_DEFAULTS, cooldownMs: 60_000 },
    },
  );
});

Deno.test("AlertsEnv names a bad threshold or hot limit", () => {
  assert.throws(
    () => parseEnv(AlertsEnv, { ALERT_THRESHOLD: "2", HOT_LIMITS: "pc1=500" }),
    /ALERT_THRESHOLD is '2': must be at most 1[\s\S]*HOT_LIMITS is 'pc1=500'/,
  );
});
