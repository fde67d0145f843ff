import assert from "node:assert/strict";
import type { KafkaMessage, RecordBatchEntry } from "kafkajs";
import { incomingMessageOf } from "./_incoming_message.ts";

/** A record-batch message, as kafkajs 2 hands them out. */
const kafkaMessage = (overrides: Partial<RecordBatchEntry>): KafkaMessage => ({
  key: Buffer.from("pc1"),
  value: Buffer.from('{"a":1}'),
  timestamp: "1769860800000",
  attributes: 0,
  offset: "41",
  headers: {},
  ...overrides,
});

Deno.test("incomingMessageOf() keeps topic, partition, offset, key, bytes and broker time", () => {
  const message = incomingMessageOf("pc1", 2, kafkaMessage({}));
  assert.deepEqual(message, {
    topic: "pc1",
    partition: 2,
    offset: "41",
    key: "pc1",
    value: new TextEncoder().encode('{"a":1}'),
    timestamp: 1769860800000,
  });
});

Deno.test("incomingMessageOf() handles tombstones, missing keys and headers", async (t) => {
  await t.step("a null value becomes empty bytes (refused later, never lost)", () => {
    const message = incomingMessageOf("pc1", 0, kafkaMessage({ value: null, key: null }));
    assert.equal(message.value.length, 0);
    assert.equal(message.key, null);
  });
  await t.step("headers become strings; the first of several values is kept", () => {
    const message = incomingMessageOf(
      "pc1",
      0,
      kafkaMessage({
        headers: { a: Buffer.from("x"), b: ["y", "z"], c: undefined },
      }),
    );
    assert.deepEqual(message.headers, { a: "x", b: "y" });
  });
});
