import assert from "node:assert/strict";
import { alertStateFrom, INITIAL_ALERT_STATE } from "./alert_state.ts";

Deno.test("alertStateFrom() takes a saved state, upgrades the one before episodes, refuses anything else", () => {
  const saved = { ...INITIAL_ALERT_STATE, decidedUpTo: 5, lastUnderVoltageAt: 3 };
  assert.deepEqual(alertStateFrom(JSON.parse(JSON.stringify(saved))), saved);
  assert.deepEqual(alertStateFrom({ lastAlertAt: 7, armed: false }), {
    ...INITIAL_ALERT_STATE,
    lastAlertAt: 7,
    armed: false,
    episode: { since: 7, calm: 0, calmSince: null },
  });
  assert.deepEqual(alertStateFrom({ lastAlertAt: null, armed: true }), INITIAL_ALERT_STATE);
  for (const bad of [null, "x", { armed: "yes" }, { ...saved, episode: { since: "now" } }]) {
    assert.equal(alertStateFrom(bad), null, JSON.stringify(bad));
  }
});
