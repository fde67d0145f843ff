import assert from "node:assert/strict";
import { aPcReading } from "../testing/a_reading.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { OWNER_CHAT, startBotUnderTest, STRANGER_CHAT } from "../testing/bot_test_kit.ts";
import type { Store } from "../shared/store/store.ts";
import { TEXT_MAX } from "./message_text.ts";

/** A store whose `method` fails as an unreachable DynamoDB would. */
function failing(store: Store, method: keyof Store): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === method) {
        return () => Promise.reject(new Error("Cannot reach DynamoDB: connect ECONNREFUSED"));
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("createBot(): a failing store is logged and the owner told in one line; the webhook answers 200", async () => {
  await using inner = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store: failing(inner, "getDevice") });
  const response = await bot.send(OWNER_CHAT, "/status pc1");
  assert.equal(response.status, 200);
  assert.deepEqual(bot.textsTo(OWNER_CHAT), [
    "Something went wrong on my side; the service log has the details. Try again in a moment.",
  ]);
  const line = bot.log.lines.find((l) => /error the bot failed on an update/.test(l));
  assert.ok(line, bot.log.lines.join("\n"));
  assert.match(
    line,
    /chat=4242 what="\/status pc1" error="Cannot reach DynamoDB: connect ECONNREFUSED"/,
  );
});

Deno.test("createBot(): a button whose handling fails gets its press answered", async () => {
  await using inner = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store: failing(inner, "getAlert") });
  await bot.send(OWNER_CHAT, "/help");
  const response = await bot.press(
    bot.lastMessage(OWNER_CHAT),
    "alert:right:Xk3vQ9_pL2mN8rT5wY1zAb",
  );
  assert.equal(response.status, 200);
  assert.deepEqual(bot.telegram.calls("answerCallbackQuery").map((r) => r.params.text), [
    "Something went wrong on my side; it is in the service log.",
  ]);
});

Deno.test("createBot(): Telegram refusing every reply is logged, never thrown to the webhook's caller", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  bot.telegram.failNext("sendMessage", { kind: "server_error" }, 2);
  const response = await bot.send(OWNER_CHAT, "/devices");
  assert.equal(response.status, 200);
  assert.deepEqual(bot.telegram.calls("sendMessage").map((r) => r.status), [500, 500]);
  assert.ok(
    bot.log.lines.some((l) => /error the bot failed on an update .*Internal Server Error/.test(l)),
  );
  assert.ok(
    bot.log.lines.some((l) =>
      /warn {2}cannot tell the chat that an update failed chat=4242/.test(l)
    ),
  );
});

Deno.test("createBot(): a stranger's update that fails at the gate gets no answer at all", async () => {
  await using inner = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store: failing(inner, "getChat") });
  assert.equal((await bot.send(STRANGER_CHAT, "/devices")).status, 200);
  assert.equal(bot.telegram.requests.length, 0);
  assert.ok(bot.log.lines.some((l) => /the bot failed on an update .*chat=666/.test(l)));
});

Deno.test("createBot(): a list too long for one message is cut under Telegram's 4,096 characters", async () => {
  await using store = await aStoreWith();
  const long = (i: number) =>
    `${String(i).padStart(2, "0")}-${"machine-with-a-long-name".repeat(2)}-x`;
  await store.saveScored(
    Array.from({ length: 60 }, (_, i) => aScored(aPcReading({ device: long(i) }))),
  );
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "/devices");
  const [call] = bot.callsTo(OWNER_CHAT, "sendMessage");
  assert.equal(call!.status, 200, "Telegram took it");
  const text = String(call!.params.text);
  assert.ok(text.length <= TEXT_MAX, `${text.length} characters`);
  assert.ok(text.endsWith("…"), "says it was cut");
});
