import assert from "node:assert/strict";
import type { Alert } from "../shared/store/records.ts";
import { anAlert } from "../testing/an_alert.ts";
import { anApi } from "../testing/an_api.ts";

Deno.test("GET /v1/alerts lists alerts newest first, optionally for one device, paged", async () => {
  await using api = await anApi();
  await api.store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
  await api.store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:05:00.000Z"));
  await api.store.saveAlert(anAlert("a3", "pc1", "2026-01-31T12:06:00.000Z"));
  const all = await (await api.request("/v1/alerts")).json();
  assert.deepEqual(all.items.map((a: Alert) => a.id), ["a3", "a2", "a1"]);
  const one = await (await api.request("/v1/alerts?device=pc1&limit=1")).json();
  assert.deepEqual(one.items.map((a: Alert) => a.id), ["a3"]);
  const next = await (await api.request(`/v1/alerts?device=pc1&cursor=${one.next_cursor}`)).json();
  assert.deepEqual(next.items.map((a: Alert) => a.id), ["a1"]);
  const elsewhere = await api.request(`/v1/alerts?cursor=${one.next_cursor}`);
  assert.equal(elsewhere.status, 400, "a cursor of pc1's list is not one of the whole list");
});

Deno.test("GET /v1/alerts answers 400 for a bad device filter", async () => {
  await using api = await anApi();
  const res = await api.request("/v1/alerts?device=no%20spaces");
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, "device");
});

Deno.test("GET /v1/alerts/{id} gives one alert with its delivery state", async () => {
  await using api = await anApi();
  await api.store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
  const alert = await (await api.request("/v1/alerts/a1")).json();
  assert.equal(alert.id, "a1");
  assert.equal(alert.state, "pending");
  const missing = await api.request("/v1/alerts/nope");
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), {
    error: { code: "not_found", message: "No alert 'nope'" },
  });
});

Deno.test("POST /v1/alerts/{id}/verdict keeps one label per alert: a second verdict replaces the first", async (t) => {
  await using api = await anApi();
  await api.store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
  const labels = async () =>
    (await api.store.listFeedback({ device: "pc1", limit: 10 })).items.map((f) => f.verdict);
  await t.step("the first verdict", async () => {
    const res = await api.request("/v1/alerts/a1/verdict", {
      method: "POST",
      json: { verdict: "right" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      alert_id: "a1",
      device: "pc1",
      timestamp: "2026-01-31T12:00:00.000Z",
      verdict: "right",
      given_at: "2026-01-31T12:00:10.000Z",
      previous: null,
    });
    assert.deepEqual(await labels(), ["right"]);
  });
  await t.step("the owner changes their mind", async () => {
    await api.clock.advance(60_000);
    const res = await api.request("/v1/alerts/a1/verdict", {
      method: "POST",
      json: { verdict: "wrong" },
    });
    const body = await res.json();
    assert.equal(body.verdict, "wrong");
    assert.equal(body.previous, "right");
    assert.equal(body.given_at, "2026-01-31T12:01:10.000Z");
    assert.deepEqual(await labels(), ["wrong"]);
  });
  await t.step("an unknown alert: 404, nothing stored", async () => {
    const res = await api.request("/v1/alerts/nope/verdict", {
      method: "POST",
      json: { verdict: "right" },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await labels(), ["wrong"]);
  });
  await t.step("a verdict that is neither right nor wrong: 400 naming verdict", async () => {
    for (const json of [{ verdict: "maybe" }, {}, { verdict: "right", extra: 1 }]) {
      const res = await api.request("/v1/alerts/a1/verdict", { method: "POST", json });
      assert.equal(res.status, 400, JSON.stringify(json));
      assert.match((await res.json()).error.field, /verdict|extra/);
    }
    assert.deepEqual(await labels(), ["wrong"]);
  });
});
