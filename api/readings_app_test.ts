import assert from "node:assert/strict";
import { aPcReading, later } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";
import { DeviceParams } from "./query_schemas.ts";

const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
const readings = [first, ...Array.from({ length: 5 }, (_, i) => later(first, (i + 1) * 5))];

Deno.test("GET /v1/devices/{id}/readings pages newest first with a signed cursor", async () => {
  await using api = await anApi({ readings });
  const res = await api.request("/v1/devices/pc1/readings?limit=4");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const page = await res.json();
  assert.equal(page.device, "pc1");
  assert.deepEqual(
    page.items.map((r: { uuid: string }) => r.uuid),
    readings.slice(2).reverse().map((r) => r.uuid),
  );
  const next = await (await api.request(
    `/v1/devices/pc1/readings?limit=4&cursor=${page.next_cursor}`,
  )).json();
  assert.deepEqual(next.items.map((r: { uuid: string }) => r.uuid), [
    readings[1]!.uuid,
    readings[0]!.uuid,
  ]);
  assert.equal(next.next_cursor, null);
});

Deno.test("GET /v1/devices/{id}/readings refuses a cursor of another device's list", async () => {
  const other = aPcReading({ device: "pc2", timestamp: "2026-01-31T12:00:00.000Z" });
  await using api = await anApi({ readings: [...readings, other, later(other, 5)] });
  const page = await (await api.request("/v1/devices/pc1/readings?limit=1")).json();
  const res = await api.request(`/v1/devices/pc2/readings?cursor=${page.next_cursor}`);
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.field, "cursor");
  assert.match(error.message, /pass the next_cursor of a previous page/);
});

Deno.test("GET /v1/devices/{id}/readings honours before and after", async () => {
  await using api = await anApi({ readings });
  const res = await api.request(
    "/v1/devices/pc1/readings?after=2026-01-31T12:00:05Z&before=2026-01-31T12:00:20%2B00:00",
  );
  const page = await res.json();
  assert.deepEqual(page.items.map((r: { timestamp: string }) => r.timestamp), [
    "2026-01-31T12:00:15.000Z",
    "2026-01-31T12:00:10.000Z",
  ]);
});

Deno.test("GET /v1/devices/{id}/readings answers 400 naming the bad parameter", async (t) => {
  await using api = await anApi({ readings });
  const cases: [string, string, RegExp][] = [
    ["limit=0", "limit", /at least 1/],
    ["limit=5000", "limit", /at most 1000/],
    ["limit=ten", "limit", /whole number in decimal digits/],
    ["limit=0x10", "limit", /whole number in decimal digits/],
    ["limit=0b11", "limit", /whole number in decimal digits/],
    ["limit=1e2", "limit", /whole number in decimal digits/],
    ["limit=%205%20", "limit", /whole number in decimal digits/],
    ["limit=5.0", "limit", /whole number in decimal digits/],
    ["limit=-1", "limit", /whole number in decimal digits/],
    ["limit=", "limit", /whole number in decimal digits/],
    ["limit=5&limit=6", "limit", /must be given once/],
    ["before=yesterday", "before", /ISO 8601/],
    ["after=2026-13-01", "after", /ISO 8601/],
    ["after=2026-01-31T12:00:00Z&after=2026-01-31T12:00:01Z", "after", /given once/],
    ["after=2026-01-31T12:00:20Z&before=2026-01-31T12:00:05Z", "before", /later than after/],
    ["after=2026-01-31T12:00:05Z&before=2026-01-31T12:00:05Z", "before", /later than after/],
    ["cursor=forged", "cursor", /Invalid cursor/],
    ["cursor=a&cursor=b", "cursor", /given once/],
    [`cursor=${"x".repeat(401)}`, "cursor", /too long/],
  ];
  for (const [query, field, message] of cases) {
    await t.step(query.slice(0, 60), async () => {
      const res = await api.request(`/v1/devices/pc1/readings?${query}`);
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.code, "bad_request");
      assert.equal(body.error.field, field);
      assert.match(body.error.message, message);
    });
  }
  await t.step("plain decimal limits pass, leading zeros included", async () => {
    for (const limit of ["1", "007", "1000"]) {
      assert.equal((await api.request(`/v1/devices/pc1/readings?limit=${limit}`)).status, 200);
    }
  });
});

Deno.test("GET /v1/devices/{id}/readings answers 404 for an unknown device", async () => {
  await using api = await anApi({ readings });
  const res = await api.request("/v1/devices/ghost/readings");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), {
    error: { code: "not_found", message: "No device 'ghost'" },
  });
});

Deno.test("the {id} path parameter is the one device-name rule: '.' and '..' are refused", () => {
  for (const id of [".", "..", "a b", "x".repeat(65), ""]) {
    assert.equal(DeviceParams.safeParse({ id }).success, false, `'${id}'`);
  }
  for (const id of ["...", "pc1", "my-laptop.local", "a_b"]) {
    assert.equal(DeviceParams.safeParse({ id }).success, true, `'${id}'`);
  }
});
