import assert from "node:assert/strict";
import { createFakeClock } from "../../testing/fake_clock.ts";
import { createInProcessTransport } from "./in_process_transport.ts";
import type { IncomingMessage } from "./transport.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (message: IncomingMessage) => new TextDecoder().decode(message.value);

/** Resolves when `check` holds, polling the event loop (no wall-clock sleeps in assertions). */
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test("createInProcessTransport() delivers sent messages in order with offsets", async () => {
  const transport = createInProcessTransport();
  const got: IncomingMessage[] = [];
  const sub = await transport.subscribe({ topics: ["pc1"], groupId: "g" }, (batch) => {
    got.push(...batch.messages);
    return Promise.resolve();
  });
  await transport.send([
    { topic: "pc1", key: "pc1", value: bytes("a") },
    { topic: "pc1", key: "pc1", value: bytes("b") },
    { topic: "other", key: null, value: bytes("ignored") },
  ]);
  await until(() => got.length === 2, "two messages");
  assert.deepEqual(got.map(text), ["a", "b"]);
  assert.deepEqual(got.map((m) => [m.topic, m.partition, m.offset, m.key]), [
    ["pc1", 0, "0", "pc1"],
    ["pc1", 0, "1", "pc1"],
  ]);
  await sub.stop();
  await transport.close();
});

Deno.test("createInProcessTransport() reads topics matching a pattern", async () => {
  const transport = createInProcessTransport();
  const got: string[] = [];
  const sub = await transport.subscribe(
    { topics: [], topicPattern: /^dev-/, groupId: "g" },
    (batch) => {
      got.push(...batch.messages.map((m) => m.topic));
      return Promise.resolve();
    },
  );
  await transport.send([
    { topic: "dev-a", key: null, value: bytes("1") },
    { topic: "x", key: null, value: bytes("2") },
    { topic: "dev-b", key: null, value: bytes("3") },
  ]);
  await until(() => got.length === 2, "two matching messages");
  assert.deepEqual(got.sort(), ["dev-a", "dev-b"]);
  await sub.stop();
  await transport.close();
});

Deno.test("createInProcessTransport() delivers a failed batch again and commits only after success", async () => {
  const clock = createFakeClock(0);
  const transport = createInProcessTransport({ clock, retryDelayMs: 1000 });
  let attempts = 0;
  const committed: string[] = [];
  const sub = await transport.subscribe({ topics: ["t"], groupId: "g" }, (batch) => {
    attempts++;
    if (attempts === 1) return Promise.reject(new Error("store down"));
    committed.push(...batch.messages.map(text));
    return Promise.resolve();
  });
  await transport.send([{ topic: "t", key: null, value: bytes("x") }]);
  await until(() => attempts === 1 && clock.pending === 1, "the first attempt");
  assert.deepEqual(committed, []);
  await clock.advance(1000);
  await until(() => committed.length === 1, "the retry");
  assert.equal(attempts, 2);
  await sub.stop();
  await transport.close();
});

Deno.test("createInProcessTransport() gives a new consumer of a group only what the group has not committed", async () => {
  const transport = createInProcessTransport();
  const first: string[] = [];
  const sub = await transport.subscribe({ topics: ["t"], groupId: "g" }, (batch) => {
    first.push(...batch.messages.map(text));
    return Promise.resolve();
  });
  await transport.send([{ topic: "t", key: null, value: bytes("1") }]);
  await until(() => first.length === 1, "the first message");
  await sub.stop();
  await transport.send([{ topic: "t", key: null, value: bytes("2") }]);
  const second: string[] = [];
  const again = await transport.subscribe({ topics: ["t"], groupId: "g" }, (batch) => {
    second.push(...batch.messages.map(text));
    return Promise.resolve();
  });
  await until(() => second.length === 1, "the second message");
  assert.deepEqual(second, ["2"]);
  await again.stop();
  await transport.close();
});

Deno.test("createInProcessTransport() refuses to send once closed and checks its options", async () => {
  const transport = createInProcessTransport();
  await transport.close();
  await assert.rejects(transport.send([{ topic: "t", key: null, value: bytes("x") }]), /closed/);
  assert.throws(
    () => createInProcessTransport({ maxBatch: 0 }),
    /'maxBatch' must be a positive integer, got 0/,
  );
});
