import assert from "node:assert/strict";
import type { Reading } from "../reading/mod.ts";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import { aPrediction } from "../../testing/a_prediction.ts";
import { alertIdOf } from "../alerts/alert_id.ts";
import {
  ALERT_POLICY_DEFAULTS,
  type AlertPolicyOptions,
  type AlertState,
  checkAlertPolicyOptions,
  decideAlert,
  INITIAL_ALERT_STATE,
} from "./alert_policy.ts";

const step = (
  state: AlertState,
  reading: Reading,
  probability: number,
  options: { now?: number; policy?: Partial<AlertPolicyOptions> } = {},
) =>
  decideAlert(state, {
    reading,
    prediction: aPrediction(reading, {
      probability,
      stressed_soon: probability >= 0.5,
      reasons: ["hot"],
    }),
    now: options.now ?? Date.parse(reading.timestamp),
  }, { ...ALERT_POLICY_DEFAULTS, ...options.policy });

/** Runs readings 5 s apart from `first` with these probabilities, returning every alert's kind. */
function run(
  first: Reading,
  probabilities: number[],
  policy: Partial<AlertPolicyOptions> = {},
  state: AlertState = INITIAL_ALERT_STATE,
) {
  const kinds: string[] = [];
  probabilities.forEach((p, i) => {
    const decision = step(state, i === 0 ? first : later(first as never, i * 5), p, { policy });
    state = decision.state;
    kinds.push(...decision.alerts.map((a) => `${i}:${a.kind}`));
  });
  return { state, kinds };
}

Deno.test("decideAlert() raises one alert when a device crosses the threshold, with a deterministic id", () => {
  const reading = aPcReading({ device: "pc1" });
  const { state, alert, alerts } = step(INITIAL_ALERT_STATE, reading, 0.8);
  assert.ok(alert);
  assert.deepEqual(alerts, [alert]);
  assert.equal(alert.id, alertIdOf(`pc1-${reading.uuid}`));
  assert.equal(alert.kind, "stress");
  assert.match(alert.message, /^pc1: likely to be stressed within a minute \(p=0\.80\)\n/);
  assert.match(alert.message, /\nWhy:\n- hot$/);
  const at = Date.parse(reading.timestamp);
  assert.deepEqual(state, {
    ...INITIAL_ALERT_STATE,
    decidedUpTo: at,
    lastAlertAt: at,
    armed: false,
    episode: { since: at, calm: 0, calmSince: null },
  });
  assert.equal(step(state, later(reading, 5), 0.9).alert, null, "no second alert while still high");
});

Deno.test("decideAlert() closes an episode after 3 readings below the re-arm level, once, saying how long", async (t) => {
  const first = aPcReading({ device: "pc1" });
  await t.step("a dip to 0.45 or a single reading below 0.35 does not close it", () => {
    const { kinds, state } = run(first, [0.8, 0.45, 0.2, 0.6, 0.2, 0.2, 0.9]);
    assert.deepEqual(kinds, ["0:stress"]);
    assert.equal(state.armed, false);
  });
  await t.step("three in a row do, with one recovered alert", () => {
    const { kinds, state } = run(first, [0.8, 0.9, 0.3, 0.2, 0.1, 0.1, 0.05]);
    assert.deepEqual(kinds, ["0:stress", "4:recovered"]);
    assert.equal(state.armed, true);
    assert.equal(state.episode, null);
  });
  await t.step("the recovered alert counts from the alert to the first calm reading", () => {
    let state = INITIAL_ALERT_STATE;
    const readings = [0, 5, 10, 15, 20].map((s) => later(first, s));
    const probabilities = [0.8, 0.9, 0.3, 0.2, 0.1];
    const alerts = readings.flatMap((r, i) => {
      const decision = step(state, r, probabilities[i]!, {
        now: Date.parse(readings[4]!.timestamp),
      });
      state = decision.state;
      return decision.alerts;
    });
    const recovered = alerts.find((a) => a.kind === "recovered")!;
    assert.equal(recovered.id, alertIdOf(`pc1-recovered-${readings[0]!.timestamp}`));
    assert.equal(recovered.reading_uuid, readings[4]!.uuid);
    assert.match(recovered.message, /^pc1: recovered after 10 s\n/);
    assert.match(recovered.message, /p=0\.10, below 0\.35 for 3 readings/);
  });
  await t.step("ALERT_RESOLVE_READINGS=1 closes on the first calm reading", () => {
    assert.deepEqual(run(first, [0.8, 0.2], { resolveReadings: 1 }).kinds, [
      "0:stress",
      "1:recovered",
    ]);
  });
  await t.step("ALERT_RESOLVED=false closes it without a word", () => {
    const { kinds, state } = run(first, [0.8, 0.2, 0.2, 0.2], { resolved: false });
    assert.deepEqual(kinds, ["0:stress"]);
    assert.equal(state.armed, true);
  });
});

Deno.test("decideAlert() holds a new alert back during the cooldown after a close, then alerts again", () => {
  const first = aPcReading({ device: "pc1" });
  const closed = run(first, [0.8, 0.2, 0.2, 0.2]).state;
  assert.equal(closed.armed, true);
  assert.equal(step(closed, later(first, 60), 0.9).alerts.length, 0, "within 15 min of the alert");
  const again = step(closed, later(first, 15 * 60), 0.9);
  assert.equal(again.alert?.kind, "stress");
});

Deno.test("decideAlert() stays quiet for readings older than 5 minutes, yet counts them as decided", () => {
  const reading = aPcReading();
  const now = Date.parse(reading.timestamp) + 6 * 60_000;
  const { alert, alerts, state } = step(INITIAL_ALERT_STATE, reading, 0.99, { now });
  assert.equal(alert, null);
  assert.deepEqual(alerts, []);
  assert.deepEqual(state, { ...INITIAL_ALERT_STATE, decidedUpTo: Date.parse(reading.timestamp) });
});

Deno.test("decideAlert() ignores a reading at or before the newest decided one: a late reading never alerts twice", () => {
  const first = aPcReading({ device: "pc1" });
  const { state } = run(first, [0.1, 0.1, 0.1]);
  const late = later(first, 7);
  const decision = step(state, late, 0.99);
  assert.deepEqual(decision.alerts, []);
  assert.equal(decision.state, state, "the state is the same object: nothing changed");
  const sameTime = { ...later(first, 10), uuid: "another-uuid" };
  assert.equal(step(state, sameTime, 0.99).state, state, "the same time as the newest decided");
});

Deno.test("decideAlert() alerts on under-voltage at once, whatever the model, with its own cooldown", async (t) => {
  const first = aRaspberryReading({ device: "pi1", throttled: "0x50005", CPU_temp_celsius: 50 });
  await t.step(
    "a low probability still alerts, and the throttling under-voltage brings opens no stress episode",
    () => {
      const { alerts, alert, state } = step(INITIAL_ALERT_STATE, first, 0.99);
      assert.equal(alert, null, "no stress alert for a reading stressed only by under-voltage");
      assert.deepEqual(alerts.map((a) => a.kind), ["under_voltage"]);
      assert.equal(alerts[0]!.id, alertIdOf(`pi1-under_voltage-${first.uuid}`));
      assert.match(alerts[0]!.message, /^pi1: power supply too weak: under-voltage now\n/);
      assert.equal(alerts[0]!.probability, null);
      assert.equal(state.armed, true);
      assert.equal(step(INITIAL_ALERT_STATE, first, 0.01).alerts.length, 1, "independent of p");
    },
  );
  await t.step("again within the hour: nothing; after it: again", () => {
    const { state } = step(INITIAL_ALERT_STATE, first, 0.99);
    assert.deepEqual(step(state, later(first, 600), 0.99).alerts, []);
    assert.deepEqual(step(state, later(first, 3600), 0.99).alerts.map((a) => a.kind), [
      "under_voltage",
    ]);
  });
  await t.step("the hwmon alarm of a Pi without vcgencmd counts too", () => {
    const reading = later(first, 0, { throttled: null, under_voltage_alarm: true });
    assert.equal(step(INITIAL_ALERT_STATE, reading, 0.99).alerts[0]?.kind, "under_voltage");
  });
  await t.step("under-voltage on a Pi past its hot limit raises both alerts", () => {
    const hot = later(first, 0, { CPU_temp_celsius: 82 });
    assert.deepEqual(step(INITIAL_ALERT_STATE, hot, 0.99).alerts.map((a) => a.kind), [
      "under_voltage",
      "stress",
    ]);
  });
  await t.step("under-voltage at the soft temperature limit (bit 3) raises both too", () => {
    const soft = later(first, 0, { throttled: "0x5000d" });
    assert.deepEqual(step(INITIAL_ALERT_STATE, soft, 0.99).alerts.map((a) => a.kind), [
      "under_voltage",
      "stress",
    ]);
  });
  await t.step("a stress alert does not hold back an under-voltage one", () => {
    const { state } = step(INITIAL_ALERT_STATE, later(first, 0, { throttled: "0x0" }), 0.9);
    assert.deepEqual(step(state, later(first, 5), 0.99).alerts.map((a) => a.kind), [
      "under_voltage",
    ]);
  });
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
  assert.match(alert!.message, /^pc1 \(simulated\): stressed now/);
});

Deno.test("checkAlertPolicyOptions() names a bad option", () => {
  assert.equal(checkAlertPolicyOptions(ALERT_POLICY_DEFAULTS), ALERT_POLICY_DEFAULTS);
  const cases: [Partial<AlertPolicyOptions>, RegExp][] = [
    [{ cooldownMs: -1 }, /'cooldownMs' must be a duration of 0 or more, got -1/],
    [{ maxAgeMs: 0 }, /'maxAgeMs' must be a positive duration, got 0/],
    [{ resolveReadings: 1.5 }, /'resolveReadings' must be a whole number from 1, got 1.5/],
    [{ underVoltageCooldownMs: NaN }, /'underVoltageCooldownMs'/],
    [{ rearmBelow: 2 }, /'rearmBelow' must be in \(0, 1\], got 2/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => checkAlertPolicyOptions({ ...ALERT_POLICY_DEFAULTS, ...bad }), message);
  }
});
