import assert from "node:assert/strict";
import type { Reading } from "../reading/mod.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import { aPrediction } from "../../testing/a_prediction.ts";
import {
  ALERT_POLICY_DEFAULTS,
  type AlertState,
  decideAlert,
  INITIAL_ALERT_STATE,
} from "./alert_policy.ts";

const step = (
  state: AlertState,
  reading: Reading,
  probability: number,
  now = Date.parse(reading.timestamp),
) =>
  decideAlert(state, {
    reading,
    prediction: aPrediction(reading, {
      probability,
      stressed_soon: probability >= 0.5,
      reasons: ["hot"],
    }),
    now,
  }, ALERT_POLICY_DEFAULTS);

Deno.test("decideAlert() raises one alert when a device crosses the threshold", () => {
  const reading = aPcReading({ device: "pc1" });
  const { state, alert } = step(INITIAL_ALERT_STATE, reading, 0.8);
  assert.ok(alert);
  assert.equal(alert.id, `pc1-${reading.uuid}`);
  assert.equal(alert.message, "pc1 is likely to be stressed within a minute (p=0.80): hot");
  assert.deepEqual(state, { lastAlertAt: Date.parse(reading.timestamp), armed: false });
  assert.equal(step(state, later(reading, 5), 0.9).alert, null, "no second alert while still high");
});

Deno.test("decideAlert() re-arms after the probability falls back, then honours the cooldown", async (t) => {
  const first = aPcReading({ device: "pc1" });
  let state = step(INITIAL_ALERT_STATE, first, 0.8).state;
  await t.step("a dip only to 0.45 does not re-arm", () => {
    state = step(state, later(first, 5), 0.45).state;
    assert.equal(state.armed, false);
  });
  await t.step("a fall below 0.35 re-arms", () => {
    state = step(state, later(first, 10), 0.2).state;
    assert.equal(state.armed, true);
  });
  await t.step("within the 15 min cooldown: nothing", () => {
    assert.equal(step(state, later(first, 60), 0.9).alert, null);
  });
  await t.step("after the cooldown: a new alert", () => {
    assert.ok(step(state, later(first, 15 * 60), 0.9).alert);
  });
});

Deno.test("decideAlert() stays quiet for readings older than 5 minutes", () => {
  const reading = aPcReading();
  const now = Date.parse(reading.timestamp) + 6 * 60_000;
  const { alert, state } = step(INITIAL_ALERT_STATE, reading, 0.99, now);
  assert.equal(alert, null);
  assert.equal(state, INITIAL_ALERT_STATE);
});

Deno.test("decideAlert() flags simulated devices and says 'stressed now' when it is", () => {
  const reading = aPcReading({ simulated: true });
  const { alert } = decideAlert(INITIAL_ALERT_STATE, {
    reading,
    prediction: aPrediction(reading, {
      probability: 0.99,
      stressed_soon: true,
      stressed_now: true,
    }),
    now: Date.parse(reading.timestamp),
  });
  assert.equal(alert?.simulated, true);
  assert.match(alert!.message, /is stressed now/);
});
