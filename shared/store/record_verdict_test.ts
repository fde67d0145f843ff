import assert from "node:assert/strict";
import { anAlert } from "../../testing/an_alert.ts";
import { openKvStore } from "./kv_store.ts";
import { recordVerdict } from "./record_verdict.ts";

Deno.test("recordVerdict() labels an alert once: a second answer replaces the first", async () => {
  const store = await openKvStore(":memory:");
  try {
    const alert = await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    const at = Date.parse("2026-02-01T00:00:00.000Z");
    const first = await recordVerdict(store, { alertId: alert.id, verdict: "right", at });
    assert.equal(first?.previous, null);
    assert.equal(first?.feedback.verdict, "right");
    const second = await recordVerdict(store, {
      alertId: alert.id,
      verdict: "wrong",
      at: at + 60_000,
    });
    assert.equal(second?.previous, "right");
    const labels = await store.listFeedback({ device: "pc1", limit: 10 });
    assert.deepEqual(labels.items.map((f) => [f.alert_id, f.verdict]), [[alert.id, "wrong"]]);
  } finally {
    await store.close();
  }
});

Deno.test("recordVerdict() answers null for an unknown alert and refuses a bad verdict", async () => {
  const store = await openKvStore(":memory:");
  try {
    assert.equal(await recordVerdict(store, { alertId: "nope", verdict: "right", at: 0 }), null);
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      recordVerdict(store, { alertId: "nope", verdict: "maybe" as any, at: 0 }),
      /'verdict' must be right or wrong, got 'maybe'/,
    );
  } finally {
    await store.close();
  }
});
