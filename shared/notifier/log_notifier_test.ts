import assert from "node:assert/strict";
import { createLogNotifier } from "./log_notifier.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { anAlert } from "../../testing/an_alert.ts";

const RAISED = "2026-01-31T12:00:00.000Z";

Deno.test("createLogNotifier() writes one warning line per alert, its message on one line", async () => {
  const log = createMemoryLogger();
  await createLogNotifier({ log }).notify({
    id: "a1",
    device: "pc1",
    profile: "pc",
    kind: "stress",
    raised_at: "2026-01-31T12:00:00.000Z",
    timestamp: "2026-01-31T12:00:00.000Z",
    reading_uuid: "r1",
    probability: 0.873,
    threshold: 0.5,
    model: "rule/v1",
    reasons: [],
    message: "pc1: likely to be stressed within a minute (p=0.87)\nCPU 86 °C, limit 90 °C",
    state: "pending",
    deliveries: [],
    attempts: 0,
    last_error: null,
  });
  assert.equal(log.lines.length, 1);
  assert.match(
    log.lines[0]!,
    /warn {2}ALERT pc1: likely to be stressed within a minute \(p=0.87\) \| CPU 86 °C, limit 90 °C device=pc1 probability=0.87 model=rule\/v1$/,
  );
});

Deno.test("createLogNotifier() with a store marks a logged alert sent, and skips a muted one", async () => {
  await using store = await aStoreWith();
  const log = createMemoryLogger();
  const notifier = createLogNotifier({ log, store });
  await notifier.notify(await store.saveAlert(anAlert("a1", "pc1", RAISED)));
  await notifier.notify(await store.saveAlert(anAlert("m1", "pc1", RAISED, { state: "muted" })));
  assert.equal((await store.getAlert("a1"))!.state, "sent");
  assert.equal((await store.getAlert("m1"))!.state, "muted");
  assert.deepEqual(await store.listPendingAlerts({ limit: 10 }), []);
  assert.equal(log.lines.length, 2);
  assert.match(log.lines[1]!, /info {2}alert held back: its device is muted alert=m1 device=pc1/);
});
