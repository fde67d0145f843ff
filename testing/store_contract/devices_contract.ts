import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../a_reading.ts";
import { aScored } from "../a_prediction.ts";
import { InvalidCursorError } from "../../shared/store/store.ts";
import type { StoreCase } from "./store_case.ts";

/** The store contract for device summaries: counts, gaps, pages by name, mutes and retirement. */
export function devicesContract(test: StoreCase): void {
  test("listDevices() and getDevice() summarise each device", async (store) => {
    const pc = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
    const newer = later(pc, 5);
    const pi = aRaspberryReading({ device: "pi", simulated: true });
    await store.saveScored([
      aScored(newer, { probability: 0.8, stressed_soon: true }),
      aScored(pc),
      aScored(pi),
    ]);
    const devices = await store.listDevices({ limit: 10 });
    assert.deepEqual(devices.items.map((d) => d.device), ["pc1", "pi"]);
    const summary = await store.getDevice("pc1");
    assert.deepEqual(summary, {
      device: "pc1",
      profile: "pc",
      first_seen: pc.timestamp,
      last_seen: newer.timestamp,
      readings: 2,
      latest: {
        timestamp: newer.timestamp,
        probability: 0.8,
        stressed_soon: true,
        stressed_now: false,
        model: "rule/v1",
      },
      recent_gaps_s: [5],
      muted_until: null,
      decommissioned_at: null,
    });
    assert.deepEqual(devices.items[0], summary);
    assert.equal((await store.getDevice("pi"))?.simulated, true);
    assert.equal(await store.getDevice("nope"), null);
  });

  test("saveScored() keeps the newest gaps between readings, not those of late ones", async (store) => {
    const first = aPcReading({ device: "gaps", timestamp: "2026-01-31T12:00:00.000Z" });
    const times = [0, 5, 10, 16, 21, 26, 31, 36, 41, 46.5, 51.5];
    const readings = times.map((s) => later(first, s));
    await store.saveScored(readings.slice(0, 4).map((r) => aScored(r)));
    assert.deepEqual((await store.getDevice("gaps"))?.recent_gaps_s, [5, 5, 6]);
    await store.saveScored(readings.slice(4).map((r) => aScored(r)));
    // A reading from before the newest one (a late delivery) adds no gap.
    await store.saveScored([aScored(later(first, 3))]);
    const summary = await store.getDevice("gaps");
    assert.deepEqual(summary?.recent_gaps_s, [6, 5, 5, 5, 5, 5, 5.5, 5]);
    assert.equal(summary?.readings, 12);
    assert.equal(summary?.last_seen, readings.at(-1)!.timestamp);
  });

  test("listDevices() pages by name with a cursor and rejects bad pages", async (store) => {
    const names = ["delta", "alpha", "echo", "charlie", "bravo"];
    await store.saveScored(names.map((device) => aScored(aPcReading({ device }))));
    const first = await store.listDevices({ limit: 2 });
    assert.deepEqual(first.items.map((d) => d.device), ["alpha", "bravo"]);
    const second = await store.listDevices({ limit: 2, cursor: first.next_cursor! });
    assert.deepEqual(second.items.map((d) => d.device), ["charlie", "delta"]);
    const third = await store.listDevices({ limit: 2, cursor: second.next_cursor! });
    assert.deepEqual(third.items.map((d) => d.device), ["echo"]);
    assert.equal(third.next_cursor, null);
    assert.deepEqual(await store.listDevices({ limit: 5 }), {
      items: (await store.listDevices({ limit: 10 })).items,
      next_cursor: null,
    });
    await assert.rejects(store.listDevices({ limit: 1001 }), /'limit' must be an integer/);
    await assert.rejects(store.listDevices({ limit: 2, cursor: "%%%" }), InvalidCursorError);
  });

  test("setMute() and clearMute() hold back a device's alerts until a time", async (store) => {
    const reading = aPcReading({ device: "loud" });
    await store.saveScored([aScored(reading)]);
    const until = "2026-02-01T08:00:00.000Z";
    const muted = await store.setMute("loud", until);
    assert.equal(muted?.muted_until, until);
    assert.equal(muted?.readings, 1);
    // New readings keep the mute.
    await store.saveScored([aScored(later(reading, 5))]);
    assert.equal((await store.getDevice("loud"))?.muted_until, until);
    assert.equal((await store.getDevice("loud"))?.readings, 2);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.muted_until, until);
    assert.equal((await store.clearMute("loud"))?.muted_until, null);
    assert.equal((await store.getDevice("loud"))?.muted_until, null);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.muted_until, null);
    assert.equal(await store.setMute("nope", until), null);
    assert.equal(await store.clearMute("nope"), null);
    await assert.rejects(store.setMute("loud", "tomorrow"), RangeError);
  });

  test("decommissionDevice() retires a device until a newer reading brings it back", async (store) => {
    const reading = aPcReading({ device: "old-pc", timestamp: "2026-01-31T12:00:00.000Z" });
    await store.saveScored([aScored(reading)]);
    const at = "2026-01-31T13:00:00.000Z";
    const retired = await store.decommissionDevice("old-pc", at);
    assert.equal(retired?.decommissioned_at, at);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.decommissioned_at, at);
    // Its data stays, and a late reading from before the decommissioning changes nothing.
    await store.saveScored([aScored(later(reading, 60))]);
    assert.equal((await store.getDevice("old-pc"))?.decommissioned_at, at);
    assert.equal((await store.listReadings("old-pc", { limit: 5 })).items.length, 2);
    // A reading taken after it: the device is back.
    await store.saveScored([aScored(later(reading, 7200))]);
    const back = await store.getDevice("old-pc");
    assert.equal(back?.decommissioned_at, null);
    assert.equal(back?.readings, 3);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.decommissioned_at, null);
    assert.equal(await store.decommissionDevice("nope", at), null);
    await assert.rejects(store.decommissionDevice("old-pc", "now"), RangeError);
  });
}
