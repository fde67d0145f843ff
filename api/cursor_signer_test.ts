import assert from "node:assert/strict";
import { InvalidCursorError } from "../shared/store/store.ts";
import { createCursorSigner } from "./cursor_signer.ts";

Deno.test("createCursorSigner() opens what it signed for the same list, nothing else", async () => {
  const signer = createCursorSigner("sixteen-byte-key!");
  const signed = (await signer.sign("readings:pc1", "WzE3MDAsImEiXQ"))!;
  assert.match(signed, /^WzE3MDAsImEiXQ\.[A-Za-z0-9_-]{22}$/);
  assert.equal(await signer.open("readings:pc1", signed), "WzE3MDAsImEiXQ");
  assert.equal(await signer.sign("readings:pc1", null), null, "the last page has no cursor");
  const refused = [
    ["readings:pc2", signed],
    ["readings:pc1", "WzE3MDAsImEiXQ"],
    ["readings:pc1", signed.replace("WzE3", "WzE4")],
    ["readings:pc1", `${signed.slice(0, -1)}${signed.endsWith("A") ? "B" : "A"}`],
    ["readings:pc1", `${signed}.x`],
    ["readings:pc1", "."],
    ["readings:pc1", ""],
  ];
  for (const [scope, cursor] of refused) {
    await assert.rejects(signer.open(scope!, cursor!), InvalidCursorError, `${scope} ${cursor}`);
  }
  const other = createCursorSigner("another-16-byte-key");
  await assert.rejects(other.open("readings:pc1", signed), InvalidCursorError);
});

Deno.test("createCursorSigner() refuses a secret shorter than 16 bytes", () => {
  assert.throws(() => createCursorSigner("short"), /at least 16 bytes, got 5/);
});
