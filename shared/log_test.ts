import assert from "node:assert/strict";
import { createLogger } from "./log.ts";

Deno.test("createLogger() writes one line with time, level, name and fields", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: () => 0 }).child("consumer");
  log.info("stored batch", { readings: 12, note: "two words", skipped: undefined });
  assert.deepEqual(lines, [
    '1970-01-01T00:00:00.000Z info  consumer: stored batch readings=12 note="two words"',
  ]);
});

Deno.test("createLogger() drops lines below its level", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l) });
  log.info("quiet");
  log.warn("loud");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /warn {2}loud/);
});
