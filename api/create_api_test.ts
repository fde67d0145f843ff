import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import type { Store } from "../shared/store/store.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { createApi } from "./create_api.ts";

Deno.test("GET /openapi.json documents every route", async () => {
  await using store = await aStoreWith();
  const res = await createApi({ store, log: silentLogger }).request("/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.openapi, "3.1.0");
  assert.deepEqual(Object.keys(doc.paths).sort(), [
    "/alerts",
    "/devices",
    "/devices/{id}",
    "/devices/{id}/readings",
    "/devices/{id}/status",
  ]);
  const readings = doc.paths["/devices/{id}/readings"].get;
  assert.deepEqual(readings.parameters.map((p: { name: string }) => p.name).sort(), [
    "after",
    "before",
    "cursor",
    "id",
    "limit",
  ]);
  assert.deepEqual(Object.keys(readings.responses).sort(), ["200", "400", "404"]);
  for (
    const schema of [
      "PcReading",
      "RaspberryReading",
      "DeviceSummary",
      "DeviceStatus",
      "Alert",
      "Error",
    ]
  ) {
    assert.ok(doc.components.schemas[schema], `components.schemas.${schema}`);
  }
});

Deno.test("createApi() mounts every resource and answers JSON for unknown routes", async () => {
  await using store = await aStoreWith([aPcReading({ device: "pc1" })]);
  const app = createApi({ store, log: silentLogger });
  for (
    const path of [
      "/devices",
      "/devices/pc1",
      "/devices/pc1/status",
      "/devices/pc1/readings",
      "/alerts",
      "/health",
    ]
  ) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get("content-type")!, /application\/json/, path);
  }
  const docs = await app.request("/docs");
  assert.equal(docs.status, 200);
  assert.match(docs.headers.get("content-type")!, /text\/html/);
  const root = await app.request("/");
  assert.equal(root.status, 302);
  assert.equal(root.headers.get("location"), "/docs");
  const missing = await app.request("/nothing");
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    error: { code: "not_found", message: "No route GET /nothing" },
  });
});

Deno.test("createApi() answers 400 naming cursor for a forged cursor", async () => {
  await using store = await aStoreWith([aPcReading({ device: "pc1" })]);
  const res = await createApi({ store, log: silentLogger }).request(
    "/devices/pc1/readings?cursor=forged!",
  );
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.field, "cursor");
});

Deno.test("createApi() answers 500 with a JSON body and logs when the store fails", async () => {
  const lines: string[] = [];
  const failing = {
    listDevices: () => Promise.reject(new Error("disk on fire")),
  } as unknown as Store;
  const log = {
    ...silentLogger,
    error: (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${f?.error}`),
  };
  const res = await createApi({ store: failing, log }).request("/devices");
  assert.equal(res.status, 500);
  assert.equal((await res.json()).error.code, "internal");
  assert.deepEqual(lines, ["request failed disk on fire"]);
});
