import assert from "node:assert/strict";
import { createLogNotifier } from "./log_notifier.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";

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
