import assert from "node:assert/strict";
import type { DeadLetter, Feedback } from "../../shared/store/records.ts";
import type { StoreCase } from "./store_case.ts";

/** The store contract for owner feedback (one verdict per alert) and dead letters. */
export function feedbackContract(test: StoreCase): void {
  test("saveDeadLetter() keeps the original bytes and the error", async (store) => {
    const letter: DeadLetter = {
      id: "d1",
      received_at: "2026-01-31T12:00:00.000Z",
      topic: "pc1",
      partition: 0,
      offset: "17",
      key: "pc1",
      error: "Invalid reading: message is not JSON",
      value_base64: btoa("{nope"),
    };
    await store.saveDeadLetter(letter);
    assert.deepEqual((await store.listDeadLetters({ limit: 5 })).items, [letter]);
  });

  test("saveFeedback() keeps one verdict per alert and listFeedback() finds it by time and device", async (store) => {
    const feedback = (
      alert_id: string,
      device: string,
      timestamp: string,
      verdict: Feedback["verdict"],
    ) => ({
      alert_id,
      device,
      timestamp,
      verdict,
      given_at: "2026-01-31T13:00:00.000Z",
    });
    await store.saveFeedback(feedback("a1", "pc1", "2026-01-31T12:00:00.000Z", "right"));
    await store.saveFeedback(feedback("a2", "pi", "2026-01-31T12:01:00.000Z", "wrong"));
    await store.saveFeedback(feedback("a3", "pc1", "2026-01-31T12:02:00.000Z", "wrong"));
    // The owner changes their mind about a3.
    await store.saveFeedback(feedback("a3", "pc1", "2026-01-31T12:02:00.000Z", "right"));
    const all = await store.listFeedback({ limit: 10, order: "asc" });
    assert.deepEqual(all.items.map((f) => [f.alert_id, f.verdict]), [
      ["a1", "right"],
      ["a2", "wrong"],
      ["a3", "right"],
    ]);
    const mine = await store.listFeedback({ limit: 1, device: "pc1" });
    assert.deepEqual(mine.items.map((f) => f.alert_id), ["a3"]);
    const next = await store.listFeedback({ limit: 1, device: "pc1", cursor: mine.next_cursor! });
    assert.deepEqual(next.items.map((f) => f.alert_id), ["a1"]);
    assert.deepEqual((await store.listFeedback({ limit: 5, device: "nope" })).items, []);
  });

  test("listDeadLetters() pages oldest first with a cursor", async (store) => {
    const letter = (i: number): DeadLetter => ({
      id: `d${i}`,
      received_at: new Date(Date.UTC(2026, 0, 31, 12, 0, i)).toISOString(),
      topic: "pc1",
      partition: null,
      offset: null,
      key: null,
      error: "not JSON",
      value_base64: "",
    });
    for (let i = 0; i < 5; i++) await store.saveDeadLetter(letter(i));
    const first = await store.listDeadLetters({ limit: 3, order: "asc" });
    assert.deepEqual(first.items, [letter(0), letter(1), letter(2)]);
    const next = await store.listDeadLetters({
      limit: 3,
      order: "asc",
      cursor: first.next_cursor!,
    });
    assert.deepEqual(next, { items: [letter(3), letter(4)], next_cursor: null });
  });
}
