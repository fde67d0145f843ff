import assert from "node:assert/strict";
import { createMemoryLogger } from "../../testing/memory_logger.ts";
import { createCloseStack } from "./close_stack.ts";

Deno.test("createCloseStack() closes in reverse order, each once, past failures, then names them", async () => {
  const log = createMemoryLogger();
  const opened = createCloseStack(log);
  const closed: string[] = [];
  opened.defer("lock", () => void closed.push("lock"));
  opened.defer("store", () => {
    closed.push("store");
    throw new Error("disk gone");
  });
  opened.defer("server", async () => {
    await Promise.resolve();
    closed.push("server");
  });
  await assert.rejects(opened.close(), /could not close store \(disk gone\)/);
  assert.deepEqual(closed, ["server", "store", "lock"]);
  assert.match(log.lines.join("\n"), /error cannot close the store error="disk gone"/);
  await opened.close();
  assert.deepEqual(closed, ["server", "store", "lock"], "nothing is closed twice");
});
