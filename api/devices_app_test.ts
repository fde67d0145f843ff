import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { createDevicesApp } from "./devices_app.ts";

Deno.test("GET /devices lists every device with profile, last-seen time and latest status", async () => {
  const pc = aPcReading({ device: "pc1" });
  const pi = aRaspberryReading({ device: "raspberry" });
  await using store = await aStoreWith([pc, later(pc, 5), pi]);
  const res = await createDevicesApp({ store }).request("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const body = await res.json();
  assert.deepEqual(
    body.items.map((d: { device: string; profile: string }) => [d.device, d.profile]),
    [
      ["pc1", "pc"],
      ["raspberry", "raspberry"],
    ],
  );
  assert.equal(body.items[0].last_seen, later(pc, 5).timestamp);
  assert.equal(body.items[0].readings, 2);
  assert.equal(body.items[0].latest.model, "rule/v1");
});

Deno.test("GET /devices pages by name with limit and cursor; a bad limit is a 400", async () => {
  const names = ["c", "a", "b"];
  await using store = await aStoreWith(names.map((device) => aPcReading({ device })));
  const app = createDevicesApp({ store });
  const first = await (await app.request("/?limit=2")).json();
  assert.deepEqual(first.items.map((d: { device: string }) => d.device), ["a", "b"]);
  const next = await (await app.request(`/?limit=2&cursor=${first.next_cursor}`)).json();
  assert.deepEqual(next.items.map((d: { device: string }) => d.device), ["c"]);
  assert.equal(next.next_cursor, null);
  assert.equal((await app.request("/?limit=0")).status, 400);
});

Deno.test("GET /devices/{id} and /devices/{id}/status", async (t) => {
  const reading = aPcReading({ device: "pc1" });
  await using store = await aStoreWith([reading]);
  const app = createDevicesApp({ store });
  await t.step("a known device", async () => {
    const res = await app.request("/pc1");
    assert.equal(res.status, 200);
    assert.equal((await res.json()).device, "pc1");
  });
  await t.step("its status: the latest prediction and the reading it came from", async () => {
    const res = await app.request("/pc1/status");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.reading, reading);
    assert.equal(body.prediction.reading_uuid, reading.uuid);
    assert.equal(typeof body.prediction.probability, "number");
  });
  await t.step("an unknown device: 404 with a JSON error", async () => {
    for (const path of ["/nope", "/nope/status"]) {
      const res = await app.request(path);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), {
        error: { code: "not_found", message: "No device 'nope'" },
      });
    }
  });
  await t.step("a device name that cannot exist: 400 naming id", async () => {
    const res = await app.request("/bad%20name/status");
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.field, "id");
    assert.match(body.error.message, /^id: must be a device name/);
  });
});
