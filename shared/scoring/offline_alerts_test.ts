import assert from "node:assert/strict";
import { aRaspberryReading, later } from "../../testing/a_reading.ts";
import { alertIdOf } from "../alerts/alert_id.ts";
import { INITIAL_ALERT_STATE } from "./alert_state.ts";
import { decideOffline, decideOnline } from "./offline_alerts.ts";

Deno.test("decideOffline() reports a silent device once; decideOnline() its next reading", async (t) => {
  const last = aRaspberryReading({ device: "pi1" });
  const lastSeen = Date.parse(last.timestamp);
  const input = {
    device: "pi1",
    profile: "raspberry" as const,
    lastSeen,
    offlineAfterS: 15,
    samplingIntervalS: 5,
  };
  let state = INITIAL_ALERT_STATE;
  await t.step("15 s of silence is not yet offline; 16 s is", () => {
    assert.equal(decideOffline(state, { ...input, now: lastSeen + 15_000 }).alert, null);
    const decision = decideOffline(state, { ...input, now: lastSeen + 16_000 });
    assert.equal(decision.alert?.kind, "offline");
    assert.equal(decision.alert?.id, alertIdOf(`pi1-offline-${last.timestamp}`));
    assert.equal(decision.alert?.timestamp, last.timestamp);
    assert.equal(decision.alert?.reading_uuid, null);
    assert.match(decision.alert!.message, /^pi1: offline, no reading for 16 s\n/);
    state = decision.state;
  });
  await t.step("once", () => {
    assert.equal(decideOffline(state, { ...input, now: lastSeen + 600_000 }).alert, null);
  });
  await t.step("an older reading arriving late does not bring it back", () => {
    assert.equal(
      decideOnline(state, { reading: later(last, -5), now: lastSeen + 60_000 }).alert,
      null,
    );
  });
  await t.step("the next reading does, with an id of the silence", () => {
    const back = later(last, 120);
    const decision = decideOnline(state, { reading: back, now: lastSeen + 121_000 });
    assert.equal(decision.alert?.kind, "online");
    assert.equal(decision.alert?.id, alertIdOf(`pi1-online-${last.timestamp}`));
    assert.match(decision.alert!.message, /^pi1: back online after 2 min 1 s\n/);
    assert.equal(decision.state.offline, null);
    assert.equal(decideOnline(decision.state, { reading: later(last, 125), now: 0 }).alert, null);
  });
});
