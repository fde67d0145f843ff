import assert from "node:assert/strict";
import { createMemoryLogger } from "./memory_logger.ts";

Deno.test("createMemoryLogger() keeps lines for assertions", () => {
  const log = createMemoryLogger();
  log.child("a").child("b").debug("x");
  assert.match(log.lines[0]!, /debug a\.b: x$/);
});

Deno.test("createMemoryLogger() drops lines below the level it is given", () => {
  const log = createMemoryLogger("warn");
  log.info("quiet");
  log.warn("loud");
  assert.equal(log.lines.length, 1);
});
