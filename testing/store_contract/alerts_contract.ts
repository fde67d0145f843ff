import assert from "node:assert/strict";
import { anAlert } from "../an_alert.ts";
import { MAX_ALERT_STATE_BYTES } from "../../shared/store/store.ts";
import type { StoreCase } from "./store_case.ts";

/** The store contract for alerts: saved once per id, listed, the outbox, delivery records and the policy's state. */
export function alertsContract(test: StoreCase): void {
  test("saveAlert() and listAlerts() by time and by device", async (store) => {
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    await store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:01:00.000Z"));
    await store.saveAlert(anAlert("a3", "pc1", "2026-01-31T12:02:00.000Z"));
    assert.deepEqual((await store.listAlerts({ limit: 10 })).items.map((a) => a.id), [
      "a3",
      "a2",
      "a1",
    ]);
    assert.deepEqual(
      (await store.listAlerts({ limit: 10, device: "pc1" })).items.map((a) => a.id),
      ["a3", "a1"],
    );
  });

  test("saveAlert() stores a pending alert once and getAlert() finds it", async (store) => {
    const saved = await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    assert.deepEqual(saved, {
      ...anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"),
      state: "pending",
      deliveries: [],
      attempts: 0,
      last_error: null,
    });
    assert.deepEqual(await store.getAlert("a1"), saved);
    const sent = await store.updateAlertDelivery("a1", { state: "sent" });
    // Raised again (a replay): the stored alert and its delivery state stay.
    const again = await store.saveAlert(
      anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z", { message: "other" }),
    );
    assert.deepEqual(again, sent);
    assert.deepEqual(await store.getAlert("a1"), sent);
    assert.equal(await store.getAlert("nope"), null);
    const muted = await store.saveAlert(
      anAlert("m1", "pc1", "2026-01-31T12:01:00.000Z", { state: "muted" }),
    );
    assert.equal(muted.state, "muted");
    const offline = await store.saveAlert(anAlert("o1", "pc2", "2026-01-31T12:02:00.000Z", {
      kind: "offline",
      reading_uuid: null,
      probability: null,
      threshold: null,
      model: null,
      reasons: [],
      message: "pc2 is offline: no reading since 12:01",
    }));
    assert.deepEqual(await store.getAlert("o1"), offline);
  });

  test("listPendingAlerts() is the outbox: pending alerts, oldest first, until sent or failed", async (store) => {
    await store.saveAlert(anAlert("a3", "pc1", "2026-01-31T12:03:00.000Z"));
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:01:00.000Z"));
    await store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:02:00.000Z"));
    await store.saveAlert(anAlert("m", "pc2", "2026-01-31T12:00:00.000Z", { state: "muted" }));
    const ids = async (limit = 10) =>
      (await store.listPendingAlerts({ limit })).map((alert) => alert.id);
    assert.deepEqual(await ids(), ["a1", "a2", "a3"]);
    assert.deepEqual(await ids(2), ["a1", "a2"]);
    // Sent to one of two chats: still pending.
    await store.updateAlertDelivery("a1", {
      delivery: { chat_id: 7, message_id: 70, sent_at: "2026-01-31T12:01:01.000Z" },
    });
    assert.deepEqual(await ids(), ["a1", "a2", "a3"]);
    assert.equal((await store.listPendingAlerts({ limit: 1 }))[0]?.deliveries.length, 1);
    await store.updateAlertDelivery("a1", { state: "sent" });
    await store.updateAlertDelivery("a3", { state: "failed", attempts: 5, last_error: "429" });
    assert.deepEqual(await ids(), ["a2"]);
    await assert.rejects(store.listPendingAlerts({ limit: 0 }), /'limit' must be an integer/);
  });

  test("updateAlertDelivery() records each chat's message, attempts and state", async (store) => {
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    const first = { chat_id: 7, message_id: 70, sent_at: "2026-01-31T12:00:01.000Z" };
    const group = { chat_id: -100123, message_id: 5, sent_at: "2026-01-31T12:00:02.000Z" };
    await store.updateAlertDelivery("a1", { attempts: 1, last_error: "timeout" });
    await store.updateAlertDelivery("a1", { delivery: first });
    await store.updateAlertDelivery("a1", { delivery: group });
    // The same chat again (a retried send): replaced, not added.
    const resent = { ...first, message_id: 71 };
    const done = await store.updateAlertDelivery("a1", {
      delivery: resent,
      state: "sent",
      last_error: null,
    });
    assert.deepEqual(done?.deliveries, [resent, group]);
    assert.equal(done?.attempts, 1);
    assert.equal(done?.last_error, null);
    assert.equal(done?.state, "sent");
    assert.deepEqual(await store.getAlert("a1"), done);
    assert.deepEqual((await store.listAlerts({ limit: 5 })).items, [done]);
    assert.deepEqual((await store.listAlerts({ limit: 5, device: "pc1" })).items, [done]);
    assert.equal(await store.updateAlertDelivery("nope", { state: "sent" }), null);
    await assert.rejects(
      store.updateAlertDelivery("a1", { attempts: -1 }),
      /'attempts' must be a whole number/,
    );
  });

  test("listAlerts() pages by time in either order with bounds and a cursor", async (store) => {
    for (let i = 0; i < 7; i++) {
      const at = new Date(Date.UTC(2026, 0, 31, 12, i)).toISOString();
      await store.saveAlert(anAlert(`a${i}`, i % 2 ? "odd" : "even", at));
    }
    const first = await store.listAlerts({ limit: 3 });
    assert.deepEqual(first.items.map((a) => a.id), ["a6", "a5", "a4"]);
    const second = await store.listAlerts({ limit: 3, cursor: first.next_cursor! });
    assert.deepEqual(second.items.map((a) => a.id), ["a3", "a2", "a1"]);
    const asc = await store.listAlerts({
      limit: 2,
      order: "asc",
      device: "even",
      after: Date.UTC(2026, 0, 31, 12, 0),
    });
    assert.deepEqual(asc.items.map((a) => a.id), ["a2", "a4"]);
    const ascNext = await store.listAlerts({
      limit: 2,
      order: "asc",
      device: "even",
      after: Date.UTC(2026, 0, 31, 12, 0),
      cursor: asc.next_cursor!,
    });
    assert.deepEqual(ascNext, { items: [(await store.getAlert("a6"))!], next_cursor: null });
    const bounded = await store.listAlerts({
      limit: 10,
      before: Date.UTC(2026, 0, 31, 12, 3),
      after: Date.UTC(2026, 0, 31, 12, 0),
    });
    assert.deepEqual(bounded.items.map((a) => a.id), ["a2", "a1"]);
  });

  test("getAlertStates() gives back what saveAlertStates() saved, by device", async (store) => {
    const states = new Map<string, unknown>([
      ["pc1", { lastAlertAt: 1_769_860_800_000, armed: false, episode: { opened: "a1" } }],
      ["pi", { lastAlertAt: null, armed: true }],
    ]);
    await store.saveAlertStates(states);
    assert.deepEqual(await store.getAlertStates(["pc1", "pi", "nope"]), states);
    await store.saveAlertStates(new Map([["pi", { lastAlertAt: 5, armed: false }]]));
    assert.deepEqual(
      await store.getAlertStates(["pi"]),
      new Map([["pi", { lastAlertAt: 5, armed: false }]]),
    );
    assert.deepEqual(await store.getAlertStates([]), new Map());
    // More devices than one batch of reads or writes holds.
    const many = new Map(Array.from({ length: 130 }, (_, i) => [`d${i}`, { n: i }]));
    await store.saveAlertStates(many);
    assert.deepEqual(await store.getAlertStates([...many.keys()]), many);
    await assert.rejects(
      store.saveAlertStates(new Map([["pc1", { big: "x".repeat(MAX_ALERT_STATE_BYTES) }]])),
      /alert state of 'pc1' is \d+ bytes of JSON, at most 4096 allowed/,
    );
    await assert.rejects(
      store.saveAlertStates(new Map([["pc1", { when: 1n }]])),
      /alert state of 'pc1' is not JSON/,
    );
  });
}
