import assert from "node:assert/strict";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { OWNER_CHAT, startBotUnderTest, STRANGER_CHAT } from "../testing/bot_test_kit.ts";
import { REFUSAL, REFUSAL_INTERVAL_MS, REFUSAL_SHORT } from "./access_gate.ts";

const GROUP_CHAT = -1001234567890;

Deno.test("access: the owner's chats (TELEGRAM_ALLOWED_CHAT_IDS, a group too) get answers", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store, allowedChatIds: [OWNER_CHAT, GROUP_CHAT] });
  assert.equal((await bot.send(OWNER_CHAT, "/devices")).status, 200);
  assert.equal((await bot.send(GROUP_CHAT, "/devices@stresswatch_test_bot")).status, 200);
  assert.match(bot.textsTo(OWNER_CHAT)[0]!, /pc1 · pc/);
  assert.match(bot.textsTo(GROUP_CHAT)[0]!, /pc1 · pc/);
});

Deno.test("access: a stranger gets one polite refusal, learns nothing about any device, and nothing of theirs is stored", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  for (
    const text of [
      "/devices",
      "/status pc1",
      "/pc1",
      "/chart pc1",
      "hello",
      "/start 0000-0000-0000",
    ]
  ) {
    assert.equal((await bot.send(STRANGER_CHAT, text)).status, 200, text);
  }
  assert.deepEqual(bot.textsTo(STRANGER_CHAT), [REFUSAL], "one refusal for six messages");
  assert.deepEqual(
    bot.telegram.requests.map((r) => r.method),
    ["sendMessage"],
    "no photo, no other call",
  );
  assert.doesNotMatch(REFUSAL, /pc1/);
  assert.equal(await store.getChat(STRANGER_CHAT), null, "the chat is not stored");
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), []);
  assert.ok(
    !bot.log.lines.some((line) => /hello|status pc1/.test(line)),
    "their messages are not logged either",
  );
  assert.ok(
    bot.log.lines.some((line) => /refused a chat that is not the owner's chat=666/.test(line)),
  );

  await bot.clock.advance(REFUSAL_INTERVAL_MS);
  await bot.send(STRANGER_CHAT, "/devices");
  assert.deepEqual(bot.textsTo(STRANGER_CHAT), [REFUSAL, REFUSAL], "again after 10 minutes");
});

Deno.test("access: a stranger's button press is answered briefly and does nothing", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const message = {
    message_id: 1,
    date: Math.floor(bot.clock.now() / 1000),
    chat: { id: STRANGER_CHAT, type: "private" as const, first_name: "X" },
    text: "forged",
  };
  assert.equal((await bot.press(message, "dl:pc1")).status, 200);
  assert.deepEqual(bot.telegram.requests.map((r) => [r.method, r.params.text]), [
    ["answerCallbackQuery", REFUSAL_SHORT],
  ]);
});

Deno.test("access: a chat pairs with /start and the code the log shows, is stored and subscribed to every device", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  await bot.send(STRANGER_CHAT, "/start");
  assert.deepEqual(bot.textsTo(STRANGER_CHAT), [REFUSAL]);
  const line = bot.log.lines.find((l) => /to pair a chat with the bot, send \/start/.test(l));
  assert.ok(line, "a stranger's /start prints the pairing code in the log");
  const code = /\/start (\d{4}-\d{4}-\d{4})/.exec(line)![1]!;
  assert.match(
    line,
    new RegExp(`https://t\\.me/stresswatch_test_bot\\?start=${code.replaceAll("-", "")}`),
  );

  await bot.send(STRANGER_CHAT, `/start ${code}`);
  const welcome = bot.textsTo(STRANGER_CHAT).at(-1)!;
  assert.match(welcome, /^Paired: this chat is the owner's now/);
  assert.match(welcome, /pc1 · pc/, "the welcome lists the devices");
  const chat = await store.getChat(STRANGER_CHAT);
  assert.equal(chat?.chat_id, STRANGER_CHAT);
  assert.equal(chat?.name, "Owner");
  assert.equal(chat?.paired_at, new Date(bot.clock.now()).toISOString());
  assert.deepEqual(await store.listSubscriptions(STRANGER_CHAT), ["*"]);

  await bot.send(STRANGER_CHAT, "/devices");
  assert.match(bot.textsTo(STRANGER_CHAT).at(-1)!, /pc1 · pc/, "answered from now on");
});

Deno.test("access: a paired chat stays the owner's for another process (it is in the store)", async () => {
  await using store = await aStoreWith([aPcReading()]);
  {
    await using first = await startBotUnderTest({ store });
    await first.send(STRANGER_CHAT, `/start ${first.pairing.current().code}`);
  }
  await using second = await startBotUnderTest({ store });
  await second.send(STRANGER_CHAT, "/devices");
  assert.match(second.textsTo(STRANGER_CHAT)[0]!, /pc1 · pc/);
});

Deno.test("access: a pairing code is refused once it expired, and through a t.me link payload accepted", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const old = bot.pairing.current();
  await bot.clock.advance(old.expiresAt - bot.clock.now());
  await bot.send(STRANGER_CHAT, `/start ${old.code}`);
  assert.deepEqual(bot.textsTo(STRANGER_CHAT), [REFUSAL]);
  assert.equal(await store.getChat(STRANGER_CHAT), null);
  assert.ok(bot.log.lines.some((l) => /wrong_code=true/.test(l)));

  const fresh = bot.pairing.current();
  await bot.send(STRANGER_CHAT, `/start ${bot.pairing.deepLinkPayload(fresh)}`);
  assert.notEqual(await store.getChat(STRANGER_CHAT), null, "the deep link's payload pairs");
});

Deno.test("access: an update without a chat (an inline query) is dropped", async () => {
  await using bot = await startBotUnderTest();
  const response = await bot.post({
    inline_query: {
      id: "q1",
      from: { id: 1, is_bot: false, first_name: "X" },
      query: "pc1",
      offset: "",
    },
  });
  assert.equal(response.status, 200);
  assert.deepEqual(bot.telegram.requests, []);
});
