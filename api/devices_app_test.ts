import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";

type Device = {
  device: string;
  profile: string;
  state: string;
  state_since: string | null;
  muted: boolean;
  sampling_interval_s: number | null;
  decommissioned_at: string | null;
};

const pc = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });

Deno.test("GET /v1/devices lists every device with profile, last-seen time, latest status and state", async () => {
  const pi = aRaspberryReading({ device: "raspberry", timestamp: "2026-01-31T12:00:00.000Z" });
  await using api = await anApi({ readings: [pc, later(pc, 5), pi], now: "2026-01-31T12:00:12Z" });
  const res = await api.request("/v1/devices");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const body = await res.json();
  assert.deepEqual(body.items.map((d: Device) => [d.device, d.profile, d.state]), [
    ["pc1", "pc", "online"],
    ["raspberry", "raspberry", "online"],
  ]);
  assert.equal(body.items[0].last_seen, later(pc, 5).timestamp);
  assert.equal(body.items[0].readings, 2);
  assert.equal(body.items[0].latest.model, "rule/v1");
  assert.equal(body.items[0].sampling_interval_s, 5);
  assert.equal(body.items[0].muted, false);
  assert.equal(body.next_cursor, null);
});

Deno.test("GET /v1/devices: a device silent for 3 sampling intervals is offline since its last reading", async (t) => {
  const readings = [pc, later(pc, 5), later(pc, 10)];
  await using api = await anApi({ readings, now: "2026-01-31T12:00:20Z" });
  const state = async () => (await (await api.request("/v1/devices/pc1")).json()) as Device;
  await t.step("10 s after its last reading: online", async () => {
    assert.deepEqual([(await state()).state, (await state()).state_since], ["online", null]);
  });
  await t.step("16 s after: offline since then", async () => {
    await api.clock.advance(6_000);
    assert.deepEqual([(await state()).state, (await state()).state_since], [
      "offline",
      "2026-01-31T12:00:10.000Z",
    ]);
  });
});

Deno.test("a `deno task start` that stopped simulating leaves its simulated devices offline, not stressed now forever", async () => {
  const hot = aPcReading({
    device: "sim-pc-1",
    simulated: true,
    TemperatureCPUPackage: 97,
    timestamp: "2026-01-31T12:00:00.000Z",
  });
  // The last run ended at 12:00:10; this one starts an hour later without --simulate.
  await using api = await anApi({
    readings: [hot, later(hot, 5), later(hot, 10)],
    now: "2026-01-31T13:00:10Z",
  });
  const [device] = (await (await api.request("/v1/devices")).json()).items as Device[];
  assert.equal(device!.device, "sim-pc-1");
  assert.equal(device!.state, "offline");
  assert.equal(device!.state_since, "2026-01-31T12:00:10.000Z");
});

Deno.test("GET /v1/devices pages by name with limit and a signed cursor", async (t) => {
  const names = ["c", "a", "b"];
  await using api = await anApi({ readings: names.map((device) => aPcReading({ device })) });
  const first = await (await api.request("/v1/devices?limit=2")).json();
  assert.deepEqual(first.items.map((d: Device) => d.device), ["a", "b"]);
  const next = await (await api.request(`/v1/devices?limit=2&cursor=${first.next_cursor}`)).json();
  assert.deepEqual(next.items.map((d: Device) => d.device), ["c"]);
  assert.equal(next.next_cursor, null);
  await t.step("a cursor edited by hand is a 400 naming cursor", async () => {
    const [inner, tag] = first.next_cursor.split(".");
    const forged = `${inner.slice(0, -2)}xx.${tag}`;
    const res = await api.request(`/v1/devices?cursor=${forged}`);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.field, "cursor");
  });
  await t.step("the store's own cursor, unsigned, is refused too", async () => {
    const res = await api.request(`/v1/devices?cursor=${first.next_cursor.split(".")[0]}`);
    assert.equal(res.status, 400);
  });
  await t.step("a cursor signed by another process (another secret) is refused", async () => {
    await using other = await anApi({ readings: names.map((device) => aPcReading({ device })) });
    const theirs = (await (await other.request("/v1/devices?limit=2")).json()).next_cursor;
    assert.equal((await api.request(`/v1/devices?cursor=${theirs}`)).status, 400);
  });
  await t.step("processes that share the secret accept each other's cursors", async () => {
    const cursorSecret = "one-secret-for-every-isolate";
    await using a = await anApi({
      cursorSecret,
      readings: names.map((d) => aPcReading({ device: d })),
    });
    await using b = await anApi({
      cursorSecret,
      readings: names.map((d) => aPcReading({ device: d })),
    });
    const cursor = (await (await a.request("/v1/devices?limit=2")).json()).next_cursor;
    const page = await (await b.request(`/v1/devices?limit=2&cursor=${cursor}`)).json();
    assert.deepEqual(page.items.map((d: Device) => d.device), ["c"]);
  });
});

Deno.test("GET /v1/devices/{id} and /v1/devices/{id}/status", async (t) => {
  await using api = await anApi({ readings: [pc] });
  await t.step("a known device", async () => {
    const res = await api.request("/v1/devices/pc1");
    assert.equal(res.status, 200);
    assert.equal((await res.json()).device, "pc1");
  });
  await t.step("its status: the latest prediction and the reading it came from", async () => {
    const res = await api.request("/v1/devices/pc1/status");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.reading, pc);
    assert.equal(body.prediction.reading_uuid, pc.uuid);
    assert.equal(typeof body.prediction.probability, "number");
  });
  await t.step("an unknown device: 404 with a JSON error", async () => {
    for (const path of ["/v1/devices/nope", "/v1/devices/nope/status"]) {
      const res = await api.request(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), {
        error: { code: "not_found", message: "No device 'nope'" },
      });
    }
  });
  await t.step("a device name that cannot exist: 400 naming id", async () => {
    const res = await api.request("/v1/devices/bad%20name/status");
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.field, "id");
    assert.match(body.error.message, /^id: must be a device name/);
  });
});

Deno.test("DELETE /v1/devices/{id} decommissions the device; its data stays", async (t) => {
  await using api = await anApi({ readings: [pc, later(pc, 5)] });
  await t.step("the device is decommissioned now", async () => {
    const res = await api.request("/v1/devices/pc1", { method: "DELETE" });
    assert.equal(res.status, 200);
    const device: Device = await res.json();
    assert.equal(device.state, "decommissioned");
    assert.equal(device.decommissioned_at, "2026-01-31T12:00:10.000Z");
    assert.equal(device.state_since, "2026-01-31T12:00:10.000Z");
  });
  await t.step("again later: it keeps the first time", async () => {
    await api.clock.advance(60_000);
    const device: Device = await (await api.request("/v1/devices/pc1", { method: "DELETE" }))
      .json();
    assert.equal(device.decommissioned_at, "2026-01-31T12:00:10.000Z");
  });
  await t.step("its readings are still there", async () => {
    const page = await (await api.request("/v1/devices/pc1/readings")).json();
    assert.equal(page.items.length, 2);
    assert.equal((await api.store.getDevice("pc1"))?.decommissioned_at, "2026-01-31T12:00:10.000Z");
  });
  await t.step("an unknown device: 404", async () => {
    assert.equal((await api.request("/v1/devices/nope", { method: "DELETE" })).status, 404);
  });
});
