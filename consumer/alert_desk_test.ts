import assert from "node:assert/strict";
import { INITIAL_ALERT_STATE } from "../shared/scoring/alert_policy.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Alert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { anAlert } from "../testing/an_alert.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { createAlertDesk } from "./alert_desk.ts";

const NOW = "2026-01-31T12:00:00.000Z";

async function setup(notify?: (alert: Alert) => Promise<void>) {
  const kv = createKvStore({ kv: await Deno.openKv(":memory:") });
  const calls: string[] = [];
  const store: Store = {
    ...kv,
    getDevice: (device) => (calls.push(`getDevice ${device}`), kv.getDevice(device)),
    getAlertStates: (
      devices,
    ) => (calls.push(`getAlertStates ${devices}`), kv.getAlertStates(devices)),
    saveAlertStates: (
      states,
    ) => (calls.push(`saveAlertStates ${[...states.keys()]}`), kv.saveAlertStates(states)),
  };
  const sent: Alert[] = [];
  const log = createMemoryLogger();
  const desk = createAlertDesk({
    store,
    clock: createFakeClock(Date.parse(NOW)),
    log,
    notifier: { notify: notify ?? ((alert) => (sent.push(alert), Promise.resolve())) },
  });
  return { kv, calls, sent, log, desk };
}

Deno.test("createAlertDesk() reads saved states once, starting a device it cannot read afresh", async () => {
  const { kv, calls, desk, log } = await setup();
  const saved = { ...INITIAL_ALERT_STATE, decidedUpTo: 5 };
  await kv.saveAlertStates(new Map<string, unknown>([["a", saved], ["b", { nonsense: 1 }]]));
  await desk.load(["a", "b", "c"]);
  await desk.load(["a", "c"]);
  assert.deepEqual(calls, ["getAlertStates a,b,c"]);
  assert.deepEqual(desk.state("a"), saved);
  assert.deepEqual(desk.state("b"), INITIAL_ALERT_STATE);
  assert.ok(log.lines.some((l) => /alert state not understood.*device=b/.test(l)));
  assert.deepEqual(desk.state("c"), INITIAL_ALERT_STATE);
});

Deno.test("createAlertDesk() saves only the states changed since the last save", async () => {
  const { kv, calls, desk } = await setup();
  await desk.load(["a", "b"]);
  desk.update("a", { ...INITIAL_ALERT_STATE, decidedUpTo: 1 });
  desk.update("b", desk.state("b"));
  await desk.saveStates();
  await desk.saveStates();
  assert.deepEqual(calls.filter((c) => c.startsWith("save")), ["saveAlertStates a"]);
  assert.deepEqual((await kv.getAlertStates(["a", "b"])).get("a"), {
    ...INITIAL_ALERT_STATE,
    decidedUpTo: 1,
  });
  desk.update("b", { ...INITIAL_ALERT_STATE, decidedUpTo: 2 });
  desk.forget(["b"]);
  await desk.saveStates();
  assert.equal(
    calls.filter((c) => c.startsWith("save")).length,
    1,
    "a forgotten change is not saved",
  );
});

Deno.test("createAlertDesk() stores alerts first, muted while the device is muted, and notifies the pending ones", async () => {
  const { kv, calls, desk, sent } = await setup();
  await kv.saveScored([
    aScored(aPcReading({ device: "loud" })),
    aScored(aPcReading({ device: "quiet" })),
  ]);
  await kv.setMute("quiet", "2026-01-31T13:00:00.000Z");
  const stored = await desk.store([
    anAlert("a1", "loud", NOW),
    anAlert("a2", "quiet", NOW),
    anAlert("a3", "quiet", NOW),
  ]);
  assert.deepEqual(stored.map((a) => a.state), ["pending", "muted", "muted"]);
  assert.deepEqual(calls, ["getDevice loud", "getDevice quiet"], "one summary read per device");
  await desk.notify(stored);
  assert.deepEqual(sent.map((a) => a.id), ["a1"]);
  assert.deepEqual((await kv.getAlert("a2"))?.state, "muted");
  assert.deepEqual(desk.stats(), { alerts: 3, muted: 2, notify_failures: 0 });
});

Deno.test("createAlertDesk() counts and logs a notifier failure without throwing: the alert is stored", async () => {
  const { desk, log, kv } = await setup(() => Promise.reject(new Error("telegram down")));
  await desk.notify(await desk.store([anAlert("a1", "pc1", NOW)]));
  assert.equal(desk.stats().notify_failures, 1);
  assert.ok(
    log.lines.some((l) => /alert stored but not delivered alert=a1 error=.*telegram down/.test(l)),
  );
  assert.equal((await kv.getAlert("a1"))?.state, "pending");
});

Deno.test("createAlertDesk() runs exclusive work one at a time, in order, whatever fails", async () => {
  const { desk } = await setup();
  const order: string[] = [];
  const work = (name: string, fail = false) => async () => {
    order.push(`${name} starts`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    order.push(`${name} ends`);
    if (fail) throw new Error(name);
  };
  const results = await Promise.allSettled([
    desk.exclusive(work("a")),
    desk.exclusive(work("b", true)),
    desk.exclusive(work("c")),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.deepEqual(order, ["a starts", "a ends", "b starts", "b ends", "c starts", "c ends"]);
});
