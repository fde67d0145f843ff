import assert from "node:assert/strict";
import type { Alert } from "../shared/store/records.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { anAlert } from "../testing/an_alert.ts";
import { createAlertsApp } from "./alerts_app.ts";

Deno.test("GET /alerts lists alerts newest first, optionally for one device", async () => {
  await using store = await aStoreWith();
  await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
  await store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:05:00.000Z"));
  const app = createAlertsApp({ store });
  const all = await (await app.request("/")).json();
  assert.deepEqual(all.items.map((a: Alert) => a.id), ["a2", "a1"]);
  const one = await (await app.request("/?device=pc1")).json();
  assert.deepEqual(one.items.map((a: Alert) => a.id), ["a1"]);
});

Deno.test("GET /alerts answers 400 for a bad device filter", async () => {
  await using store = await aStoreWith();
  const res = await createAlertsApp({ store }).request("/?device=no%20spaces");
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, "device");
});
