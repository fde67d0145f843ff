import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import { unframe } from "../shared/reading/mod.ts";
import type { OutgoingMessage } from "../shared/transport/transport.ts";
import { createFramingSender } from "./framing_sender.ts";

Deno.test("createFramingSender() frames every message with the schema id, found once", async () => {
  const sent: OutgoingMessage[] = [];
  let lookups = 0;
  let registryUp = false;
  const sender = createFramingSender({
    sender: { send: (messages) => (sent.push(...messages), Promise.resolve()) },
    schemaId: () => {
      lookups++;
      return registryUp ? Promise.resolve(100042) : Promise.reject(new Error("ECONNREFUSED"));
    },
    log: silentLogger,
  });
  const value = new TextEncoder().encode('{"uuid":"a"}');
  await assert.rejects(sender.send([{ topic: "pi4", key: "pi4", value }]), /ECONNREFUSED/);
  assert.equal(sent.length, 0, "nothing goes out unframed");
  registryUp = true;
  await sender.send([{ topic: "pi4", key: "pi4", value }]);
  await sender.send([{ topic: "pi4", key: "pi4", value }]);
  assert.equal(lookups, 2);
  assert.equal(sender.schemaId, 100042);
  const { schemaId, payload } = unframe(sent[0]!.value);
  assert.equal(schemaId, 100042);
  assert.equal(new TextDecoder().decode(payload), '{"uuid":"a"}');
  assert.equal(sent[0]!.key, "pi4");
});
