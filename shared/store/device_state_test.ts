import assert from "node:assert/strict";
import { deviceState, samplingIntervalS } from "./device_state.ts";
import type { DeviceSummary } from "./records.ts";

const lastSeen = Date.parse("2026-01-31T12:00:00.000Z");

function aSummary(overrides: Partial<DeviceSummary> = {}): DeviceSummary {
  return {
    device: "pc1",
    profile: "pc",
    first_seen: "2026-01-31T11:00:00.000Z",
    last_seen: "2026-01-31T12:00:00.000Z",
    readings: 720,
    latest: null,
    recent_gaps_s: [5, 5, 6, 5, 4, 5, 5, 300],
    muted_until: null,
    decommissioned_at: null,
    ...overrides,
  };
}

Deno.test("deviceState() is offline after 3 of the device's own sampling intervals", async (t) => {
  await t.step("the median ignores one long gap: 5 s, so offline after 15 s", () => {
    assert.equal(samplingIntervalS(aSummary()), 5);
    assert.deepEqual(deviceState(aSummary(), lastSeen + 15_000), {
      state: "online",
      since: null,
      muted: false,
      sampling_interval_s: 5,
    });
    assert.deepEqual(deviceState(aSummary(), lastSeen + 15_001), {
      state: "offline",
      since: "2026-01-31T12:00:00.000Z",
      muted: false,
      sampling_interval_s: 5,
    });
  });
  await t.step("a slow device (60 s) is online after 2 minutes of silence", () => {
    const slow = aSummary({ recent_gaps_s: [60, 60, 61, 59] });
    assert.equal(samplingIntervalS(slow), 60);
    assert.equal(deviceState(slow, lastSeen + 120_000).state, "online");
    assert.equal(deviceState(slow, lastSeen + 181_000).state, "offline");
  });
  await t.step("before a second reading, the producer's default 5 s is assumed", () => {
    const fresh = aSummary({ recent_gaps_s: [] });
    assert.equal(deviceState(fresh, lastSeen + 15_000).state, "online");
    assert.equal(deviceState(fresh, lastSeen + 16_000).state, "offline");
    assert.equal(deviceState(fresh, lastSeen).sampling_interval_s, null);
  });
  await t.step("offlineAfterS overrides the device's own interval", () => {
    assert.equal(deviceState(aSummary(), lastSeen + 50_000, { offlineAfterS: 60 }).state, "online");
    assert.equal(
      deviceState(aSummary(), lastSeen + 61_000, { offlineAfterS: 60 }).state,
      "offline",
    );
    assert.throws(() => deviceState(aSummary(), lastSeen, { offlineAfterS: 0 }), RangeError);
  });
});

Deno.test("deviceState() says decommissioned whatever the silence, and whether muted", () => {
  const retired = aSummary({
    decommissioned_at: "2026-01-31T12:30:00.000Z",
    muted_until: "2026-01-31T13:00:00.000Z",
  });
  assert.deepEqual(deviceState(retired, lastSeen + 3_600_000 - 1), {
    state: "decommissioned",
    since: "2026-01-31T12:30:00.000Z",
    muted: true,
    sampling_interval_s: 5,
  });
  assert.equal(deviceState(retired, lastSeen + 3_600_000).muted, false);
});

Deno.test("samplingIntervalS() takes the mean of the two middle gaps of an even count", () => {
  assert.equal(samplingIntervalS(aSummary({ recent_gaps_s: [4, 6] })), 5);
  assert.equal(samplingIntervalS(aSummary({ recent_gaps_s: [10, 2, 4, 6] })), 5);
});
