import assert from "node:assert/strict";
import { ALL_DEVICES } from "../../shared/store/records.ts";
import type { StoreCase } from "./store_case.ts";

/** The store contract for paired chats and their subscriptions. */
export function chatsContract(test: StoreCase): void {
  test("saveChat() and getChat() keep paired chats", async (store) => {
    const chat = { chat_id: 42, paired_at: "2026-01-31T12:00:00.000Z", name: "Ann" };
    await store.saveChat(chat);
    assert.deepEqual(await store.getChat(42), chat);
    const renamed = { ...chat, name: null };
    await store.saveChat(renamed);
    assert.deepEqual(await store.getChat(42), renamed);
    assert.equal(await store.getChat(43), null);
    await assert.rejects(store.saveChat({ ...chat, chat_id: 1.5 }), RangeError);
  });

  test("subscribe() sends a device's alerts to a chat; every device with '*'", async (store) => {
    await store.subscribe(7, "pc1");
    await store.subscribe(7, "pc1");
    await store.subscribe(-100200, "pc1");
    await store.subscribe(9, ALL_DEVICES);
    await store.subscribe(7, "pi");
    assert.deepEqual(await store.listSubscribers("pc1"), [-100200, 7, 9]);
    assert.deepEqual(await store.listSubscribers("pi"), [7, 9]);
    assert.deepEqual(await store.listSubscribers("other"), [9]);
    assert.deepEqual(await store.listSubscriptions(7), ["pc1", "pi"]);
    assert.deepEqual(await store.listSubscriptions(9), [ALL_DEVICES]);
    await store.unsubscribe(7, "pc1");
    await store.unsubscribe(7, "never");
    assert.deepEqual(await store.listSubscribers("pc1"), [-100200, 9]);
    assert.deepEqual(await store.listSubscriptions(7), ["pi"]);
    assert.deepEqual(await store.listSubscriptions(8), []);
    await assert.rejects(store.subscribe(7, "bad name"), RangeError);
    await assert.rejects(store.subscribe(Number.NaN, "pc1"), RangeError);
  });
}
