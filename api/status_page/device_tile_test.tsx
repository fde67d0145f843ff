import assert from "node:assert/strict";
import type { DeviceSummary } from "../../shared/store/records.ts";
import { DeviceTile, toneOf } from "./device_tile.tsx";
import type { DeviceTile as Tile } from "./status_snapshot.ts";

const NOW = Date.parse("2026-01-31T12:00:00.000Z");

function aTile(overrides: Partial<DeviceSummary> = {}, state: Partial<Tile["state"]> = {}): Tile {
  const summary: DeviceSummary = {
    device: "pc1",
    profile: "pc",
    first_seen: "2026-01-31T11:00:00.000Z",
    last_seen: "2026-01-31T11:59:55.000Z",
    readings: 10,
    latest: {
      timestamp: "2026-01-31T11:59:55.000Z",
      probability: 0.2,
      stressed_soon: false,
      stressed_now: false,
      model: "rule/v1",
    },
    recent_gaps_s: [5],
    muted_until: null,
    decommissioned_at: null,
    ...overrides,
  };
  return {
    summary,
    state: { state: "online", since: null, muted: false, sampling_interval_s: 5, ...state },
    status: null,
    temperature: { metric: "TemperatureCPUPackage", value: 64.25, limit: 90 },
    series: [{ time: NOW - 60_000, value: 62 }, { time: NOW - 55_000, value: 64.25 }],
    alertTimes: [],
  };
}

Deno.test("DeviceTile escapes the device name everywhere it shows it", async () => {
  // Names are checked on the way in (DEVICE_NAME); a record from elsewhere must not inject markup.
  const html = String(
    await (
      <DeviceTile
        tile={aTile({ device: `x"><script>alert(1)</script>` })}
        from={NOW - 3_600_000}
        now={NOW}
        timeZone="UTC"
      />
    ),
  );
  assert.doesNotMatch(html, /<script>/);
  assert.match(
    html,
    /<h2 class="device-name">x&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h2>/,
  );
  assert.match(html, /data-key="device:x&quot;&gt;&lt;script&gt;/);
});

Deno.test("DeviceTile shows a missing temperature sensor as such, without a meter", async () => {
  const tile = aTile();
  tile.temperature.value = null;
  const html = String(
    await <DeviceTile tile={tile} from={NOW - 3_600_000} now={NOW} timeZone="UTC" />,
  );
  assert.match(html, />no sensor</);
  assert.doesNotMatch(html, /<meter/);
});

Deno.test("toneOf() puts retired and offline before stress, stressed now before soon", () => {
  const stressed = { stressed_now: true, stressed_soon: true };
  const latest = (flags: Partial<NonNullable<DeviceSummary["latest"]>>) => ({
    latest: { ...aTile().summary.latest!, ...flags },
  });
  assert.equal(toneOf(aTile(latest(stressed), { state: "decommissioned" })), "retired");
  assert.equal(toneOf(aTile(latest(stressed), { state: "offline" })), "offline");
  assert.equal(toneOf(aTile(latest(stressed))), "now");
  assert.equal(toneOf(aTile(latest({ stressed_soon: true }))), "soon");
  assert.equal(toneOf(aTile()), "ok");
  assert.equal(toneOf(aTile({ latest: null })), "ok", "before its first prediction");
});
