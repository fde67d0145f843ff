import assert from "node:assert/strict";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { anAlert } from "../testing/an_alert.ts";
import { type BotUnderTest, OWNER_CHAT, startBotUnderTest } from "../testing/bot_test_kit.ts";
import { alertKeyboard } from "../shared/telegram/alert_buttons.ts";
import type { Store } from "../shared/store/store.ts";
import { yesOrNo } from "./alert_feedback.ts";

const ALERT_ID = "Xk3vQ9_pL2mN8rT5wY1zAb"; // an alert id: 22 base64url characters
const RAISED = "2026-01-31T12:00:30.000Z";
const TEXT =
  "pc1: likely to be stressed within a minute (p=0.93)\nCPU 84 °C, +1.2 °C/min, limit 90 °C";

/** The buttons the consumer's outbox puts on an alert: `alert:<action>:<alert id>`. */
const BUTTONS: InlineKeyboardMarkup = {
  inline_keyboard: [[
    { text: "✅ right", callback_data: `alert:right:${ALERT_ID}` },
    { text: "❌ wrong", callback_data: `alert:wrong:${ALERT_ID}` },
    { text: "🔕 1 h", callback_data: `alert:mute_1h:${ALERT_ID}` },
  ]],
};
const press = (action: "right" | "wrong" | "mute_1h") => `alert:${action}:${ALERT_ID}`;

/** What the outbox does: the alert stored, sent to the owner (with buttons or not), the delivery recorded. */
async function anAlertSent(
  bot: BotUnderTest,
  store: Store,
  options: { buttons?: boolean } = {},
): Promise<Message> {
  await store.saveAlert(anAlert(ALERT_ID, "pc1", RAISED, { message: TEXT }));
  const message = await bot.bot.api.sendMessage(OWNER_CHAT, TEXT, {
    ...(options.buttons === false ? {} : { reply_markup: BUTTONS }),
  });
  await store.updateAlertDelivery(ALERT_ID, {
    state: "sent",
    delivery: { chat_id: OWNER_CHAT, message_id: message.message_id, sent_at: RAISED },
  });
  return bot.lastMessage(OWNER_CHAT);
}

async function verdicts(store: Store) {
  const page = await store.listFeedback({ limit: 100 });
  return page.items.map((f) => [f.alert_id, f.verdict]);
}

const answers = (bot: BotUnderTest) =>
  bot.telegram.calls("answerCallbackQuery").map((r) => r.params.text);

Deno.test("alert buttons: ✅ right stores the verdict, answers the press and shows it on the message", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store);
  assert.equal((await bot.press(alert, press("right"))).status, 200);
  assert.deepEqual(await verdicts(store), [[ALERT_ID, "right"]]);
  assert.deepEqual(answers(bot), ["Noted: ✅ right"]);
  const shown = bot.lastMessage(OWNER_CHAT);
  assert.equal(shown.message_id, alert.message_id, "the alert message itself is edited");
  assert.equal(shown.text, `${TEXT}\n\n✅ You said: right (12:01)`);
  assert.deepEqual(shown.reply_markup, alertKeyboard(ALERT_ID, { verdict: "right" }));
  const feedback = (await store.listFeedback({ limit: 1 })).items[0]!;
  assert.equal(feedback.given_at, new Date(bot.clock.now()).toISOString());
  assert.equal(feedback.timestamp, RAISED, "labelled at the time of the alert's reading");
});

Deno.test("alert buttons: a second press changes the verdict, never a second label; the same press again changes nothing", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store);
  await bot.press(alert, press("right"));
  await bot.clock.advance(60_000);
  await bot.press(bot.lastMessage(OWNER_CHAT), press("wrong"));
  assert.deepEqual(await verdicts(store), [[ALERT_ID, "wrong"]], "one label, the latest");
  const shown = bot.lastMessage(OWNER_CHAT);
  assert.equal(shown.text, `${TEXT}\n\n❌ You said: wrong (12:02)`, "one answer line, replaced");
  assert.deepEqual(shown.reply_markup, alertKeyboard(ALERT_ID, { verdict: "wrong" }));
  await bot.press(shown, press("wrong"));
  assert.deepEqual(answers(bot), [
    "Noted: ✅ right",
    "Changed to ❌ wrong (was ✅ right)",
    "Already noted: ❌ wrong",
  ]);
  assert.equal(bot.telegram.calls("editMessageText").length, 2, "no edit for the same answer");
});

Deno.test("alert buttons: 🔕 1 h mutes the device for an hour (never shortening a longer mute) and says so on the message", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store);
  await bot.press(alert, press("mute_1h"));
  assert.equal((await store.getDevice("pc1"))!.muted_until, "2026-01-31T13:01:00.000Z");
  let shown = bot.lastMessage(OWNER_CHAT);
  assert.equal(shown.text, `${TEXT}\n\n🔕 pc1 muted until 13:01`);
  assert.deepEqual(shown.reply_markup, BUTTONS, "the buttons stay");

  await bot.press(shown, press("right"));
  shown = bot.lastMessage(OWNER_CHAT);
  assert.equal(shown.text, `${TEXT}\n\n✅ You said: right (12:01)\n🔕 pc1 muted until 13:01`);

  await store.setMute("pc1", "2026-01-31T18:00:00.000Z");
  await bot.press(shown, press("mute_1h"));
  assert.equal((await store.getDevice("pc1"))!.muted_until, "2026-01-31T18:00:00.000Z");
  assert.deepEqual(answers(bot), [
    "🔕 pc1 muted for 1 h.",
    "Noted: ✅ right",
    "pc1 is muted until 18:00 already.",
  ]);
  assert.equal(
    bot.lastMessage(OWNER_CHAT).text,
    `${TEXT}\n\n✅ You said: right (12:01)\n🔕 pc1 muted until 18:00`,
  );
});

Deno.test("alert buttons: malformed data, an alert the store does not have, a button of no feature: answered, logged, never an error", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store);
  const responses = await Promise.all([
    "alert:maybe:" + ALERT_ID,
    "alert:right:short",
    "alert:right:" + "Z".repeat(22),
    "alert2:right:" + ALERT_ID,
    "something-else",
  ].map((data) => bot.press(alert, data)));
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
  assert.deepEqual(
    answers(bot).toSorted(),
    [
      "I do not know this button.",
      "I do not understand this button; it may be from an older version of the bot.",
      "I do not understand this button; it may be from an older version of the bot.",
      "I do not understand this button; it may be from an older version of the bot.",
      "I no longer have this alert.",
    ].toSorted(),
  );
  assert.deepEqual(await verdicts(store), []);
  assert.equal(bot.telegram.calls("editMessageText").length, 0);
  assert.ok(bot.log.lines.some((l) => /warn .*alert button not understood reason=/.test(l)));
  assert.ok(bot.log.lines.some((l) => /button of an alert the store does not have/.test(l)));
});

Deno.test("Y / N replies to an alert store the verdict through the same path, and the message shows it", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store);
  await bot.send(OWNER_CHAT, "Y", { replyTo: alert });
  assert.deepEqual(await verdicts(store), [[ALERT_ID, "right"]]);
  const [reply] = bot.callsTo(OWNER_CHAT, "sendMessage").slice(1);
  assert.equal(reply!.params.text, "Noted: ✅ right (pc1's alert).");
  assert.deepEqual(reply!.params.reply_parameters, { message_id: alert.message_id });
  assert.equal(bot.telegram.messages(OWNER_CHAT)[0]!.text, `${TEXT}\n\n✅ You said: right (12:01)`);
  await bot.send(OWNER_CHAT, "no", { replyTo: alert });
  assert.deepEqual(await verdicts(store), [[ALERT_ID, "wrong"]], "changed, not added");
  assert.equal(bot.textsTo(OWNER_CHAT).at(-1), "Changed to ❌ wrong (was ✅ right) (pc1's alert).");
});

Deno.test("Y / N reply to an alert message without buttons: found by the alert's recorded delivery", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const alert = await anAlertSent(bot, store, { buttons: false });
  await bot.clock.advance(3 * 3_600_000); // answered hours later
  await bot.send(OWNER_CHAT, "n", { replyTo: alert });
  assert.deepEqual(await verdicts(store), [[ALERT_ID, "wrong"]]);
  const shown = bot.telegram.messages(OWNER_CHAT)[0]!;
  assert.match(shown.text!, /\n\n❌ You said: wrong \(15:01\)$/);
  assert.deepEqual(shown.reply_markup, alertKeyboard(ALERT_ID, { verdict: "wrong" }));
});

Deno.test("Y / N that answers no alert gets a hint", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  await bot.send(OWNER_CHAT, "y");
  await bot.send(OWNER_CHAT, "/help");
  await bot.send(OWNER_CHAT, "Y", { replyTo: bot.lastMessage(OWNER_CHAT) });
  const texts = bot.textsTo(OWNER_CHAT);
  assert.equal(
    texts[0],
    "To answer an alert, reply to its message with Y or N, or press its ✅ / ❌ buttons.",
  );
  assert.equal(texts[2], "That message is not an alert I have; reply Y or N to an alert.");
  assert.deepEqual(await verdicts(store), []);
});

Deno.test("yesOrNo() reads the old replies", () => {
  for (const text of ["Y", "y", "yes", "Yes!", "right", "✅"]) assert.equal(yesOrNo(text), "right");
  for (const text of ["N", "no", "No.", "wrong", "❌"]) assert.equal(yesOrNo(text), "wrong");
  for (const text of ["maybe", "yes please", ""]) assert.equal(yesOrNo(text), null);
});

Deno.test("Y / N reply to an alert stored before alert ids were keys: found by its delivery, answered and shown", async () => {
  await using store = await aStoreWith([aPcReading()]);
  await using bot = await startBotUnderTest({ store });
  const oldId = "pc1-3f1c2a9e-7b4d-4e21-9a57-0c8d6e5f4b3a"; // a natural id, as old alerts have
  await store.saveAlert(anAlert(oldId, "pc1", RAISED, { message: TEXT }));
  const sent = await bot.bot.api.sendMessage(OWNER_CHAT, TEXT);
  await store.updateAlertDelivery(oldId, {
    state: "sent",
    delivery: { chat_id: OWNER_CHAT, message_id: sent.message_id, sent_at: RAISED },
  });
  await bot.send(OWNER_CHAT, "y", { replyTo: bot.lastMessage(OWNER_CHAT) });
  assert.deepEqual(await verdicts(store), [[oldId, "right"]]);
  assert.match(bot.telegram.messages(OWNER_CHAT)[0]!.text!, /\n\n✅ You said: right \(12:01\)$/);
  assert.equal(bot.textsTo(OWNER_CHAT).at(-1), "Noted: ✅ right (pc1's alert).");
});
