import assert from "node:assert/strict";
import { aPcReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { createReadingsApp } from "./readings_app.ts";

const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
const readings = [first, ...Array.from({ length: 5 }, (_, i) => later(first, (i + 1) * 5))];

Deno.test("GET /devices/{id}/readings pages newest first with a cursor", async () => {
  await using store = await aStoreWith(readings);
  const app = createReadingsApp({ store });
  const res = await app.request("/pc1/readings?limit=4");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const page = await res.json();
  assert.equal(page.device, "pc1");
  assert.deepEqual(
    page.items.map((r: { uuid: string }) => r.uuid),
    readings.slice(2).reverse().map((r) => r.uuid),
  );
  const next = await (await app.request(`/pc1/readings?limit=4&cursor=${page.next_cursor}`)).json();
  assert.deepEqual(next.items.map((r: { uuid: string }) => r.uuid), [
    readings[1]!.uuid,
    readings[0]!.uuid,
  ]);
  assert.equal(next.next_cursor, null);
});

Deno.test("GET /devices/{id}/readings honours before and after", async () => {
  await using store = await aStoreWith(readings);
  const res = await createReadingsApp({ store }).request(
    "/pc1/readings?after=2026-01-31T12:00:05Z&before=2026-01-31T12:00:20%2B00:00",
  );
  const page = await res.json();
  assert.deepEqual(page.items.map((r: { timestamp: string }) => r.timestamp), [
    "2026-01-31T12:00:15.000Z",
    "2026-01-31T12:00:10.000Z",
  ]);
});

Deno.test("GET /devices/{id}/readings answers 400 naming the bad parameter", async (t) => {
  await using store = await aStoreWith(readings);
  const app = createReadingsApp({ store });
  const cases: [string, string, RegExp][] = [
    ["limit=0", "limit", /at least 1/],
    ["limit=5000", "limit", /at most 1000/],
    ["limit=ten", "limit", /number/],
    ["before=yesterday", "before", /ISO 8601/],
    ["after=2026-13-01", "after", /ISO 8601/],
  ];
  for (const [query, field, message] of cases) {
    await t.step(query, async () => {
      const res = await app.request(`/pc1/readings?${query}`);
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.code, "bad_request");
      assert.equal(body.error.field, field);
      assert.match(body.error.message, message);
    });
  }
});

Deno.test("GET /devices/{id}/readings answers 404 for an unknown device", async () => {
  await using store = await aStoreWith(readings);
  const res = await createReadingsApp({ store }).request("/ghost/readings");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), {
    error: { code: "not_found", message: "No device 'ghost'" },
  });
});
