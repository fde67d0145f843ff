import assert from "node:assert/strict";
import { aPcReading } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";

const pc = aPcReading({ device: "pc1" });

Deno.test("PUT /v1/devices/{id}/mute mutes until a time or for a duration; DELETE unmutes", async (t) => {
  await using api = await anApi({ readings: [pc] });
  await t.step("until a time", async () => {
    const res = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { until: "2026-01-31T14:00:00+01:00" },
    });
    assert.equal(res.status, 200);
    const device = await res.json();
    assert.equal(device.muted_until, "2026-01-31T13:00:00.000Z");
    assert.equal(device.muted, true);
    assert.equal((await api.store.getDevice("pc1"))?.muted_until, "2026-01-31T13:00:00.000Z");
  });
  await t.step("again, for a duration: the end time is replaced", async () => {
    const res = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600 },
    });
    assert.equal((await res.json()).muted_until, "2026-01-31T12:10:10.000Z");
  });
  await t.step("after the end the device shows unmuted by itself", async () => {
    await api.clock.advance(601_000);
    assert.equal((await (await api.request("/v1/devices/pc1")).json()).muted, false);
  });
  await t.step("DELETE unmutes", async () => {
    await api.request("/v1/devices/pc1/mute", { method: "PUT", json: { duration_s: 3600 } });
    const res = await api.request("/v1/devices/pc1/mute", { method: "DELETE" });
    assert.equal(res.status, 200);
    const device = await res.json();
    assert.equal(device.muted_until, null);
    assert.equal(device.muted, false);
  });
  await t.step("an unknown device: 404 for both", async () => {
    const put = await api.request("/v1/devices/nope/mute", {
      method: "PUT",
      json: { duration_s: 600 },
    });
    assert.equal(put.status, 404);
    assert.equal((await api.request("/v1/devices/nope/mute", { method: "DELETE" })).status, 404);
  });
});

Deno.test("PUT /v1/devices/{id}/mute answers 400 naming the field for a bad body", async (t) => {
  await using api = await anApi({ readings: [pc] });
  const cases: [string, unknown, string, RegExp][] = [
    ["neither until nor duration_s", {}, "until", /either until .* or duration_s/],
    ["both", { until: "2026-01-31T13:00:00Z", duration_s: 60 }, "until", /either/],
    ["an end in the past", { until: "2026-01-31T11:00:00Z" }, "until", /in the future/],
    ["more than 366 days ahead", { until: "2027-03-01T00:00:00Z" }, "until", /366 days/],
    ["a time that is not ISO 8601", { until: "tomorrow" }, "until", /ISO 8601/],
    ["a duration under a minute", { duration_s: 5 }, "duration_s", /at least 60/],
    ["a duration in a string", { duration_s: "600" }, "duration_s", /number of seconds/],
    ["an unknown field", { duration_s: 600, forever: true }, "forever", /not a field/],
  ];
  for (const [what, json, field, message] of cases) {
    await t.step(what, async () => {
      const res = await api.request("/v1/devices/pc1/mute", { method: "PUT", json });
      assert.equal(res.status, 400);
      const { error } = await res.json();
      assert.equal(error.code, "bad_request");
      if (field) assert.equal(error.field, field);
      assert.match(error.message, message);
    });
  }
  await t.step("a body that is not JSON: 400 naming body", async () => {
    const res = await api.app.request("/v1/devices/pc1/mute", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{until:",
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.field, "body");
  });
  await t.step("a body sent as a form: 415", async () => {
    const res = await api.app.request("/v1/devices/pc1/mute", {
      method: "PUT",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "duration_s=600",
    });
    assert.equal(res.status, 415);
    assert.equal((await res.json()).error.code, "unsupported_media_type");
  });
  await t.step("no body at all: 400", async () => {
    const res = await api.app.request("/v1/devices/pc1/mute", { method: "PUT" });
    assert.equal(res.status, 400);
  });
  await t.step("a body over 16 KiB: 413 before it is parsed", async () => {
    const res = await api.request("/v1/devices/pc1/mute", {
      method: "PUT",
      json: { duration_s: 600, pad: "x".repeat(20_000) },
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, "payload_too_large");
  });
  assert.equal((await api.store.getDevice("pc1"))?.muted_until, null, "nothing was muted");
});
