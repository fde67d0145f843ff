import assert from "node:assert/strict";
import { aScored } from "../testing/a_prediction.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";
import { LEGACY_ALL_READINGS, LEGACY_DEVICE_READINGS } from "./legacy_app.ts";

const pc = aPcReading({
  device: "pc1",
  timestamp: "2026-01-31T12:00:00.000Z",
  loading_datetime: "2026-01-31@12:00:00",
  TemperatureGPUCore: null,
  cpu_throttled: false,
});
const pi = aRaspberryReading({
  device: "raspberry",
  timestamp: "2026-01-31T12:00:00.000Z",
  loading_datetime: "2026-01-31@12:00:00",
  throttled: "0x50005",
});

/** The old clients' requests, exactly: a plain GET, no header of any kind. */
const oldRequest =
  (api: { app: { request(path: string): Response | Promise<Response> } }) => (path: string) =>
    api.app.request(path);

Deno.test("the replaced system's GET /devices/{name} answers the device's readings in the old fields, prediction 0 or 1", async () => {
  await using api = await anApi();
  const second = later(pc, 5);
  await api.store.saveScored([
    aScored(pc, { stressed_soon: false }),
    aScored(second, { stressed_soon: true, probability: 0.9 }),
  ]);
  const res = await oldRequest(api)("/devices/pc1");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  assert.deepEqual(await res.json(), [
    {
      uuid: pc.uuid,
      device: "pc1",
      loading_datetime: "2026-01-31@12:00:00",
      ClockCPUCoreOne: 3400,
      TemperatureCPUPackage: 55,
      LoadCPUTotal: 20,
      PowerCPUPackage: 35.5,
      TemperatureGPUCore: null,
      LoadGPUCore: null,
      prediction: 0,
    },
    {
      uuid: second.uuid,
      device: "pc1",
      loading_datetime: "2026-01-31@12:00:05",
      ClockCPUCoreOne: 3400,
      TemperatureCPUPackage: 55,
      LoadCPUTotal: 20,
      PowerCPUPackage: 35.5,
      TemperatureGPUCore: null,
      LoadGPUCore: null,
      prediction: 1,
    },
  ]);
});

Deno.test("the replaced system's GET /devices/{name} for a Pi: its old fields, throttled as the old producers sent it", async () => {
  await using api = await anApi();
  await api.store.saveScored([aScored(pi, { stressed_now: true })]);
  const [reading] = await (await oldRequest(api)("/devices/raspberry")).json();
  assert.deepEqual(Object.keys(reading).sort(), [
    "CPU_temp_celsius",
    "GPU_temp_celsius",
    "device",
    "frequency_arm_hz",
    "frequency_core_hz",
    "frequency_pwm_hz",
    "loading_datetime",
    "memory_arm_bytes",
    "memory_gpu_bytes",
    "prediction",
    "throttled",
    "uuid",
    "voltage_core_v",
    "voltage_sdram_c_v",
    "voltage_sdram_i_v",
    "voltage_sdram_p_v",
  ]);
  assert.equal(reading.throttled, "throttled=0x50005");
  assert.equal(reading.prediction, 1, "stressed now counts as stressed");
});

Deno.test("the replaced system's GET /devices/{name}/status answers its two messages", async () => {
  await using api = await anApi();
  await api.store.saveScored([
    aScored(pc, { stressed_soon: true }),
    aScored(pi, { stressed_soon: false }),
  ]);
  const stressed = await oldRequest(api)("/devices/pc1/status");
  assert.equal(stressed.status, 200);
  assert.deepEqual(await stressed.json(), { msg: "The device is stressed" });
  assert.deepEqual(await (await oldRequest(api)("/devices/raspberry/status")).json(), {
    msg: "The device is OK",
  });
  const unknown = await oldRequest(api)("/devices/nope/status");
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, "not_found");
});

Deno.test("the replaced system's GET /devices/ and GET /devices answer every device's newest readings, bounded", async (t) => {
  await using api = await anApi();
  await api.store.saveScored([aScored(pc), aScored(later(pc, 5)), aScored(pi)]);
  for (const path of ["/devices/", "/devices"]) {
    await t.step(path, async () => {
      const res = await oldRequest(api)(path);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(body.map((r: { device: string }) => r.device), ["pc1", "pc1", "raspberry"]);
      assert.deepEqual(body.map((r: { loading_datetime: string }) => r.loading_datetime), [
        "2026-01-31@12:00:00",
        "2026-01-31@12:00:05",
        "2026-01-31@12:00:00",
      ]);
    });
  }
});

Deno.test("the old routes never scan: at most 1,000 readings, the newest, shared by the devices", async () => {
  await using api = await anApi();
  const start = aPcReading({ device: "busy", timestamp: "2026-01-31T00:00:00.000Z" });
  const many = [start, ...Array.from({ length: 1199 }, (_, i) => later(start, (i + 1) * 5))];
  await api.store.saveScored(many.map((r) => aScored(r)));
  await api.store.saveScored([aScored(pc)]);
  const one = await (await oldRequest(api)("/devices/busy")).json();
  assert.equal(one.length, LEGACY_DEVICE_READINGS);
  assert.equal(one.at(-1).uuid, many.at(-1)!.uuid, "the newest last");
  assert.equal(one[0].uuid, many[200]!.uuid, "the oldest 200 left out");
  const all = await (await oldRequest(api)("/devices/")).json();
  assert.equal(all.length, LEGACY_ALL_READINGS / 2 + 1, "500 of busy, the one of pc1");
  assert.equal(
    all.filter((r: { device: string }) => r.device === "busy").at(-1).uuid,
    many.at(-1)!.uuid,
  );
});

Deno.test("the old routes: an unknown device has no readings, a bad name is a 400", async () => {
  await using api = await anApi();
  assert.deepEqual(await (await oldRequest(api)("/devices/nobody")).json(), []);
  assert.deepEqual(await (await oldRequest(api)("/devices/")).json(), []);
  const bad = await oldRequest(api)("/devices/bad%20name");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, "name");
});

Deno.test("the old routes follow API_TOKEN, unless LEGACY_ROUTES_PUBLIC opens them (reads only)", async () => {
  const access = { apiToken: "a-token-of-at-least-16-chars" };
  await using closed = await anApi({ access, readings: [pc] });
  assert.equal((await oldRequest(closed)("/devices/pc1")).status, 401);
  await using open = await anApi({
    access: { ...access, legacyRoutesPublic: true },
    readings: [pc],
  });
  assert.equal((await oldRequest(open)("/devices/pc1")).status, 200);
  assert.equal((await oldRequest(open)("/devices/pc1/status")).status, 200);
  assert.equal(
    (await oldRequest(open)("/v1/devices/pc1")).status,
    401,
    "the new API still needs it",
  );
});
