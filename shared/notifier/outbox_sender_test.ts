import assert from "node:assert/strict";
import { Api } from "grammy/web";
import type { Message } from "grammy/types";
import { anAlert } from "../../testing/an_alert.ts";
import { aPcReading } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { createFakeClock, type FakeClock } from "../../testing/fake_clock.ts";
import { type FakeBotApi, startFakeBotApi } from "../../testing/fake_bot_api.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";
import type { NewAlert } from "../store/records.ts";
import type { Store } from "../store/store.ts";
import { alertIdOf } from "../alerts/alert_id.ts";
import { alertKeyboard } from "../telegram/alert_buttons.ts";
import { createOutboxSender, type OutboxOptions, type OutboxSender } from "./outbox_sender.ts";

const OWNER = 42;
const GROUP = -1001;
const T0 = "2026-01-31T12:00:00.000Z";

interface Setup extends AsyncDisposable {
  telegram: FakeBotApi;
  store: Store;
  clock: FakeClock;
  log: ReturnType<typeof createMemoryLogger>;
  api: Api;
  /** A started sender over the store and the fake Bot API. */
  sender(options?: Partial<OutboxOptions>, allowed?: number[]): OutboxSender;
  /** Saves a pending alert of `pc1`, raised now. */
  alert(id: string, overrides?: Partial<NewAlert>): Promise<void>;
}

/** A store with device pc1, the owner's chat subscribed to every device, a fake Bot API. */
async function setUp(): Promise<Setup> {
  const telegram = await startFakeBotApi();
  const store = await aStoreWith([aPcReading({ device: "pc1", timestamp: T0 })]);
  await store.subscribe(OWNER, "*");
  const clock = createFakeClock(Date.parse(T0));
  const log = createMemoryLogger();
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const senders: OutboxSender[] = [];
  return {
    telegram,
    store,
    clock,
    log,
    api,
    sender(options = {}, allowed = []) {
      const sender = createOutboxSender({
        store,
        api,
        clock,
        log,
        allowedChatIds: allowed,
        options,
        random: () => 0.5,
      });
      senders.push(sender);
      sender.start();
      return sender;
    },
    async alert(id, overrides = {}) {
      const raised = new Date(clock.now()).toISOString();
      await store.saveAlert(
        anAlert(id, "pc1", raised, { message: `pc1 alert ${id}`, ...overrides }),
      );
    },
    async [Symbol.asyncDispose]() {
      for (const sender of senders) await sender.stop();
      await telegram.close();
      await store.close();
    },
  };
}

const texts = (messages: Message[]) => messages.map((m) => m.text);

Deno.test("the outbox sender sends a pending alert to every subscribed chat and records each message", async () => {
  await using t = await setUp();
  await t.store.subscribe(GROUP, "pc1");
  const id = alertIdOf("pc1-r1");
  await t.alert(id);
  const sender = t.sender({}, [OWNER, 7]);
  await sender.drain();

  const stored = (await t.store.getAlert(id))!;
  assert.equal(stored.state, "sent");
  assert.deepEqual(
    stored.deliveries.map((d) => d.chat_id).sort((a, b) => a - b),
    [GROUP, 7, OWNER],
  );
  for (const delivery of stored.deliveries) {
    const [message] = t.telegram.messages(delivery.chat_id);
    assert.equal(message?.message_id, delivery.message_id, `chat ${delivery.chat_id}`);
    assert.equal(message?.text, `pc1 alert ${id}`);
    assert.deepEqual(message?.reply_markup, alertKeyboard(id));
  }
  assert.equal(t.telegram.calls("sendMessage").length, 3, "the owner's chat once, not twice");
  assert.deepEqual(await t.store.listPendingAlerts({ limit: 10 }), []);
  assert.equal(sender.stats().sent, 1);
  assert.equal(sender.stats().messages, 3);
  assert.equal(sender.stats().pending, 0);
});

Deno.test("an alert that is not a stress prediction carries the mute button alone", async () => {
  await using t = await setUp();
  const id = alertIdOf("pc1-under_voltage-r1");
  await t.alert(id, { kind: "under_voltage", probability: null, threshold: null, model: null });
  await t.sender().drain();
  const [message] = t.telegram.messages(OWNER);
  const buttons = message!.reply_markup!.inline_keyboard.flat();
  assert.deepEqual(buttons.map((b) => b.text), ["🔕 1 h"]);
  assert.deepEqual(buttons[0], alertKeyboard(id).inline_keyboard[0]![2]);
});

Deno.test("an alert stored before ids became button keys is sent without buttons", async () => {
  await using t = await setUp();
  await t.alert("pc1-0f8e2c4a-old-style-id");
  await t.sender().drain();
  const [message] = t.telegram.messages(OWNER);
  assert.equal(message?.text, "pc1 alert pc1-0f8e2c4a-old-style-id");
  assert.equal(message?.reply_markup, undefined);
  assert.equal((await t.store.getAlert("pc1-0f8e2c4a-old-style-id"))!.state, "sent");
});

Deno.test("notify() wakes the sender and never waits for Telegram", async () => {
  await using t = await setUp();
  const sender = t.sender();
  await sender.drain();
  t.telegram.failNext("sendMessage", { kind: "hang" });
  await t.alert("a1");
  await sender.notify((await t.store.getAlert("a1"))!);
  await t.telegram.waitForRequest("sendMessage");
  assert.equal((await t.store.getAlert("a1"))!.state, "pending", "a1 hangs in flight");

  // With a1's request held, notify() of a2 still returns before the next macrotask.
  await t.alert("a2");
  const a2 = (await t.store.getAlert("a2"))!;
  const nextTask = new Promise((resolve) => setTimeout(() => resolve("blocked"), 0));
  assert.equal(
    await Promise.race([sender.notify(a2).then(() => "returned"), nextTask]),
    "returned",
  );

  t.telegram.releaseHung();
  await sender.drain();
  assert.deepEqual(texts(t.telegram.messages(OWNER)), ["pc1 alert a1", "pc1 alert a2"]);
});

Deno.test("a 429 pauses sending for retry_after and does not count as an attempt", async () => {
  await using t = await setUp();
  await t.alert("a1");
  await t.alert("a2");
  t.telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 30 });
  const sender = t.sender();
  await sender.drain();
  assert.equal(t.telegram.calls("sendMessage").length, 1, "a2 waits too");
  assert.equal((await t.store.getAlert("a1"))!.attempts, 0);
  assert.equal(sender.stats().rate_limited, 1);

  await t.clock.advance(29_000);
  await sender.drain();
  assert.equal(t.telegram.calls("sendMessage").length, 1, "nothing before retry_after");

  await t.clock.advance(1_000);
  await sender.drain();
  assert.deepEqual(texts(t.telegram.messages(OWNER)), ["pc1 alert a1", "pc1 alert a2"]);
  assert.equal((await t.store.getAlert("a1"))!.state, "sent");
  assert.equal((await t.store.getAlert("a2"))!.state, "sent");
});

Deno.test("a 500 counts an attempt, keeps the alert pending and retries it after a backoff", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "server_error" }, 2);
  const sender = t.sender({ retryBaseMs: 1_000 });
  await sender.drain();
  let stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "pending");
  assert.equal(stored.attempts, 1);
  assert.equal(stored.last_error, "500 Internal Server Error");

  // First wait: half of 1 s fixed + half random (0.5 here) = 750 ms.
  await t.clock.advance(700);
  await sender.drain();
  assert.equal(t.telegram.calls("sendMessage").length, 1, "not before the backoff");
  await t.clock.advance(50);
  await sender.drain();
  assert.equal((await t.store.getAlert("a1"))!.attempts, 2);

  // Second wait doubles: 1,500 ms.
  await t.clock.advance(1_500);
  await sender.drain();
  stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "sent");
  assert.equal(stored.attempts, 2);
  assert.equal(stored.last_error, null);
  assert.equal(sender.stats().retries, 2);
});

Deno.test("a request without an answer is given up after the timeout and retried", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "hang" });
  const sender = t.sender({ requestTimeoutMs: 10_000 });
  await t.telegram.waitForRequest("sendMessage");
  await t.clock.advance(10_000);
  await sender.drain();
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "pending");
  assert.equal(stored.attempts, 1);
  assert.equal(stored.last_error, "no answer from Telegram within 10 s");

  await t.clock.advance(1_000);
  await sender.drain();
  assert.equal((await t.store.getAlert("a1"))!.state, "sent");
  t.telegram.releaseHung();
});

Deno.test("alerts left pending by a crash are sent when a sender starts again", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "server_error" });
  const first = t.sender();
  await first.drain();
  await first.stop();
  await t.alert("a2");
  assert.deepEqual((await t.store.listPendingAlerts({ limit: 10 })).map((a) => a.id), ["a1", "a2"]);

  const second = t.sender();
  await second.drain();
  assert.deepEqual(texts(t.telegram.messages(OWNER)), ["pc1 alert a1", "pc1 alert a2"]);
  assert.equal((await t.store.getAlert("a1"))!.attempts, 1, "the attempt before the crash counts");
});

Deno.test("after the last attempt an alert is marked failed and counted", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "server_error" }, 3);
  const sender = t.sender({ maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 1_000 });
  for (let i = 0; i < 3; i++) {
    await sender.drain();
    await t.clock.advance(1_000);
  }
  await sender.drain();
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "failed");
  assert.equal(stored.attempts, 3);
  assert.equal(stored.last_error, "500 Internal Server Error");
  assert.equal(t.telegram.calls("sendMessage").length, 3);
  assert.equal(sender.stats().failed, 1);
  assert.deepEqual(await t.store.listPendingAlerts({ limit: 10 }), []);
  assert.ok(t.log.lines.some((l) => /error .*alert not delivered: attempts spent/.test(l)));
});

Deno.test("a muted alert is never sent", async (t) => {
  await t.step("stored muted: not in the outbox, and notify() ignores it", async () => {
    await using s = await setUp();
    const sender = s.sender();
    await s.alert("m1", { state: "muted" });
    await sender.notify((await s.store.getAlert("m1"))!);
    await sender.drain();
    assert.equal(s.telegram.calls("sendMessage").length, 0);
    assert.equal((await s.store.getAlert("m1"))!.state, "muted");
  });

  await t.step("its device muted while it waited: marked muted when its turn comes", async () => {
    await using s = await setUp();
    await s.alert("a1");
    await s.store.setMute("pc1", "2026-01-31T13:00:00.000Z");
    const sender = s.sender();
    await sender.drain();
    assert.equal(s.telegram.calls("sendMessage").length, 0);
    assert.equal((await s.store.getAlert("a1"))!.state, "muted");
    assert.equal(sender.stats().muted, 1);
  });
});

Deno.test("an alert sent later than the max age says how late it is", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 600 });
  const sender = t.sender({ maxAgeMs: 5 * 60_000 });
  await sender.drain();
  await t.clock.advance(600_000);
  await sender.drain();
  assert.deepEqual(texts(t.telegram.messages(OWNER)), [
    "⏰ Sent 10 min late: this is about 2026-01-31 12:00 UTC.\n\npc1 alert a1",
  ]);
  assert.equal(sender.stats().late, 1);
});

Deno.test("a chat that refuses is skipped; the others get the alert", async () => {
  await using t = await setUp();
  const BLOCKED = 666;
  await t.store.subscribe(BLOCKED, "pc1");
  // Telegram's answer for a user who blocked the bot (the fake server has no such user).
  t.api.config.use((previous, method, payload, signal) =>
    method === "sendMessage" && (payload as { chat_id: number }).chat_id === BLOCKED
      ? Promise.resolve({
        ok: false as const,
        error_code: 403,
        description: "Forbidden: bot was blocked by the user",
      })
      : previous(method, payload, signal)
  );
  await t.alert("a1");
  const sender = t.sender();
  await sender.drain();
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "sent");
  assert.deepEqual(stored.deliveries.map((d) => d.chat_id), [OWNER]);
  assert.equal(stored.last_error, "chat 666: 403 Forbidden: bot was blocked by the user");
  assert.equal(sender.stats().refused, 1);
});

Deno.test("an alert with no chat to go to is marked failed, saying why", async () => {
  await using t = await setUp();
  await t.store.unsubscribe(OWNER, "*");
  await t.alert("a1");
  const sender = t.sender();
  await sender.drain();
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "failed");
  assert.match(stored.last_error!, /no chat to send it to: none is subscribed to pc1/);
  assert.equal(sender.stats().failed, 1);
});

Deno.test("a chat that already has the alert (a crash between two chats) is not sent it again", async () => {
  await using t = await setUp();
  await t.store.subscribe(GROUP, "pc1");
  await t.alert("a1");
  await t.store.updateAlertDelivery("a1", {
    delivery: { chat_id: OWNER, message_id: 99, sent_at: T0 },
  });
  await t.sender().drain();
  assert.deepEqual(t.telegram.calls("sendMessage").map((r) => r.params.chat_id), [GROUP]);
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "sent");
  assert.deepEqual(stored.deliveries.map((d) => [d.chat_id, d.message_id]), [
    [OWNER, 99],
    [GROUP, 1],
  ]);
});

Deno.test("stop() abandons a message in flight; its alert stays pending, no attempt counted", async () => {
  await using t = await setUp();
  await t.alert("a1");
  t.telegram.failNext("sendMessage", { kind: "hang" });
  const sender = t.sender();
  await t.telegram.waitForRequest("sendMessage");
  await sender.stop();
  const stored = (await t.store.getAlert("a1"))!;
  assert.equal(stored.state, "pending");
  assert.equal(stored.attempts, 0);
  t.telegram.releaseHung();
});

Deno.test("createOutboxSender() refuses bad options and chat ids", async () => {
  await using t = await setUp();
  const deps = { store: t.store, api: t.api, clock: t.clock, log: t.log };
  assert.throws(
    () => createOutboxSender({ ...deps, options: { maxAttempts: 0 } }),
    /'maxAttempts' must be at least 1, got 0/,
  );
  assert.throws(
    () => createOutboxSender({ ...deps, options: { pageSize: 5000 } }),
    /'pageSize' must be a whole number up to 1000, got 5000/,
  );
  assert.throws(
    () => createOutboxSender({ ...deps, allowedChatIds: [1.5] }),
    /chat ids must be whole numbers other than 0, got 1.5/,
  );
});

Deno.test("a device's subscribers are remembered for subscribersCacheMs", async () => {
  await using t = await setUp();
  const sender = t.sender({ subscribersCacheMs: 10_000 });
  await t.alert("a1");
  await sender.notify((await t.store.getAlert("a1"))!);
  await sender.drain();
  await t.store.subscribe(GROUP, "pc1");

  await t.alert("a2");
  await sender.notify((await t.store.getAlert("a2"))!);
  await sender.drain();
  assert.deepEqual(
    texts(t.telegram.messages(GROUP)),
    [],
    "not yet: the subscribers are remembered",
  );

  await t.clock.advance(10_000);
  await t.alert("a3");
  await sender.notify((await t.store.getAlert("a3"))!);
  await sender.drain();
  assert.deepEqual(texts(t.telegram.messages(GROUP)), ["pc1 alert a3"]);
});

Deno.test("an alert notified twice is sent once", async () => {
  await using t = await setUp();
  const sender = t.sender();
  await sender.drain();
  await t.alert("a1");
  const alert = (await t.store.getAlert("a1"))!;
  await sender.notify(alert);
  await sender.drain();
  await sender.notify(alert);
  await sender.drain();
  assert.equal(t.telegram.calls("sendMessage").length, 1);
});
