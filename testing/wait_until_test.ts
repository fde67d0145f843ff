import assert from "node:assert/strict";
import { waitUntil } from "./wait_until.ts";

Deno.test("waitUntil() resolves once the check holds and names what it waited for otherwise", async () => {
  let calls = 0;
  await waitUntil(() => ++calls === 3, { what: "three calls", everyMs: 1 });
  assert.equal(calls, 3);
  await assert.rejects(
    waitUntil(() => false, { what: "never", timeoutMs: 20, everyMs: 5 }),
    /Timed out after 20 ms waiting for never/,
  );
});
