import assert from "node:assert/strict";
import { AlertsEnv } from "../shared/config/alerts_env.ts";
import { parseEnv } from "../shared/config/parse_env.ts";
import { ALERT_POLICY_DEFAULTS } from "../shared/scoring/alert_policy.ts";
import { PIPELINE_DEFAULTS } from "./create_pipeline.ts";
import { pipelineOptionsFrom } from "./pipeline_options.ts";

Deno.test("pipelineOptionsFrom() of the default settings is the pipeline's defaults", () => {
  assert.deepEqual(pipelineOptionsFrom(parseEnv(AlertsEnv, {})), {
    threshold: PIPELINE_DEFAULTS.threshold,
    hotLimits: PIPELINE_DEFAULTS.hotLimits,
    alerts: PIPELINE_DEFAULTS.alerts,
  });
  assert.equal(PIPELINE_DEFAULTS.offlineAfterS, undefined, "3 of each device's own intervals");
});

Deno.test("pipelineOptionsFrom() turns the alert settings into pipeline options", () => {
  assert.deepEqual(
    pipelineOptionsFrom(parseEnv(AlertsEnv, {
      ALERT_THRESHOLD: "0.7",
      ALERT_COOLDOWN_S: "60",
      HOT_LIMITS: "pc1=85",
      ALERT_RESOLVED: "false",
      ALERT_RESOLVE_READINGS: "5",
      ALERT_UNDER_VOLTAGE_COOLDOWN_S: "600",
      OFFLINE_AFTER_S: "120",
    })),
    {
      threshold: 0.7,
      hotLimits: { pc1: 85 },
      alerts: {
        ...ALERT_POLICY_DEFAULTS,
        cooldownMs: 60_000,
        resolved: false,
        resolveReadings: 5,
        underVoltageCooldownMs: 600_000,
      },
      offlineAfterS: 120,
    },
  );
});
