import assert from "node:assert/strict";
import { aPcReading } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { storeContract } from "../../testing/store_contract.ts";
import { createKvStore, openKvStore } from "./kv_store.ts";

storeContract("createKvStore()", async () => createKvStore({ kv: await Deno.openKv(":memory:") }));

Deno.test("openKvStore() creates its folder and keeps data across a reopen", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/nested/monitor.kv`;
    const reading = aPcReading({ device: "keep" });
    const first = await openKvStore(path);
    await first.saveScored([aScored(reading)]);
    await first.close();
    const second = await openKvStore(path);
    assert.deepEqual((await second.listReadings("keep", { limit: 1 })).items, [reading]);
    await second.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createKvStore() stores a reading once when two stores race on one file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/race.kv`;
    const a = await openKvStore(path);
    const b = await openKvStore(path);
    const readings = Array.from(
      { length: 60 },
      (_, i) =>
        aScored(
          aPcReading({
            device: "race",
            timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          }),
        ),
    );
    const [ra, rb] = await Promise.all([a.saveScored(readings), b.saveScored(readings)]);
    assert.equal(ra.stored + rb.stored, 60);
    assert.equal(ra.duplicates + rb.duplicates, 60);
    assert.equal((await a.getDevice("race"))?.readings, 60);
    await a.close();
    await b.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
