import assert from "node:assert/strict";
import * as grammyNode from "grammy";
import * as grammyWeb from "grammy/web";
import { alertIdOf } from "../shared/alerts/alert_id.ts";
import { alertKeyboard, parseAlertButton } from "../shared/telegram/alert_buttons.ts";
import { startFakeBotApi } from "./fake_bot_api.ts";

/** A 1 × 1 PNG. */
const PNG_1X1 = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);
const CHAT = 4242;
/** An alert id, as alert buttons carry it. */
const ALERT = alertIdOf("pc1-abc");

// grammY's Node build (node-fetch) is what `npm:grammy` resolves to in Deno; the web build
// (fetch) is what a Deno Deploy service may import. The fake server must serve both.
for (const [build, grammy] of [["grammy", grammyNode], ["grammy/web", grammyWeb]] as const) {
  const { Api, Bot, GrammyError, HttpError, InputFile } = grammy;

  Deno.test(`fake Bot API (${build}): getMe, then sendMessage with increasing message ids, each request recorded`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    assert.equal((await api.getMe()).username, "stresswatch_test_bot");
    const first = await api.sendMessage(CHAT, "pc1 is hot", {
      reply_markup: alertKeyboard(ALERT),
    });
    const second = await api.sendMessage(CHAT, "pc2 is hot");
    assert.equal(second.message_id, first.message_id + 1);
    assert.deepEqual(first.chat, { id: CHAT, type: "private", first_name: "Owner" });
    assert.deepEqual(first.reply_markup, alertKeyboard(ALERT));
    assert.deepEqual(telegram.requests.map((r) => [r.method, r.status]), [
      ["getMe", 200],
      ["sendMessage", 200],
      ["sendMessage", 200],
    ]);
    assert.deepEqual(telegram.calls("sendMessage")[0].params, {
      chat_id: CHAT,
      text: "pc1 is hot",
      reply_markup: alertKeyboard(ALERT),
    });
  });

  Deno.test(`fake Bot API (${build}): edits change the stored message; an unchanged edit is a 400 as on Telegram`, async (t) => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    const sent = await api.sendMessage(CHAT, "pc1 is hot", { reply_markup: alertKeyboard(ALERT) });
    await t.step("editMessageReplyMarkup", async () => {
      const edited = await api.editMessageReplyMarkup(CHAT, sent.message_id, {
        reply_markup: alertKeyboard(ALERT, { verdict: "right" }),
      });
      assert.ok(edited !== true);
      assert.deepEqual(edited.reply_markup, alertKeyboard(ALERT, { verdict: "right" }));
    });
    await t.step("editMessageText keeps the keyboard only when it is sent again", async () => {
      await api.editMessageText(CHAT, sent.message_id, "pc1 is hot: right", {
        reply_markup: alertKeyboard(ALERT, { verdict: "right" }),
      });
      assert.deepEqual(
        telegram.messages(CHAT)[0].reply_markup,
        alertKeyboard(ALERT, { verdict: "right" }),
      );
      await api.editMessageText(CHAT, sent.message_id, "pc1 is hot (answered)");
      assert.equal(telegram.messages(CHAT)[0].text, "pc1 is hot (answered)");
      assert.equal(telegram.messages(CHAT)[0].reply_markup, undefined);
    });
    await t.step("the same text again", async () => {
      const error = await api.editMessageText(CHAT, sent.message_id, "pc1 is hot (answered)")
        .catch((e) => e);
      assert.ok(error instanceof GrammyError, String(error));
      assert.equal(error.error_code, 400);
      assert.match(error.description, /message is not modified/);
    });
    await t.step("a message the bot never sent", async () => {
      const error = await api.editMessageText(CHAT, 999, "x").catch((e) => e);
      assert.ok(error instanceof GrammyError);
      assert.match(error.description, /message to edit not found/);
    });
  });

  Deno.test(`fake Bot API (${build}): sendPhoto arrives as multipart with the file's bytes`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    const message = await api.sendPhoto(CHAT, new InputFile(PNG_1X1, "chart.png"), {
      caption: "pc1: CPU °C, last hour",
    });
    assert.deepEqual(message.photo?.map(({ width, height }) => [width, height]), [[1, 1]]);
    assert.equal(message.caption, "pc1: CPU °C, last hour");
    const [request] = telegram.calls("sendPhoto");
    assert.equal(request.params.chat_id, String(CHAT), "multipart fields arrive as strings");
    assert.equal(request.params.caption, "pc1: CPU °C, last hour");
    assert.equal(request.files.photo.filename, "chart.png");
    assert.deepEqual(request.files.photo.bytes, PNG_1X1);
    assert.equal(request.params.photo, request.files.photo);
  });

  Deno.test(`fake Bot API (${build}): answerCallbackQuery, setMyCommands, setWebhook and deleteWebhook keep their state`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    assert.equal(await api.answerCallbackQuery("query-1", { text: "Saved: right" }), true);
    await api.setMyCommands([{ command: "status", description: "A device's status" }]);
    assert.deepEqual(telegram.commands, [{ command: "status", description: "A device's status" }]);
    const badCommand = await api.setMyCommands([{ command: "Status!", description: "x" }])
      .catch((e) => e);
    assert.ok(badCommand instanceof GrammyError);
    assert.match(badCommand.description, /BOT_COMMAND_INVALID/);

    const plainHttp = await api.setWebhook("http://example.test/hook").catch((e) => e);
    assert.ok(plainHttp instanceof GrammyError);
    assert.match(plainHttp.description, /HTTPS URL must be provided/);
    await api.setWebhook("https://example.test/telegram/webhook", { secret_token: "s3cret" });
    assert.deepEqual(telegram.webhook, {
      url: "https://example.test/telegram/webhook",
      secret_token: "s3cret",
    });
    const conflict = await api.getUpdates().catch((e) => e);
    assert.ok(conflict instanceof GrammyError);
    assert.equal(conflict.error_code, 409);
    await api.deleteWebhook();
    assert.equal(telegram.webhook, null);
    assert.deepEqual(await api.getUpdates({ timeout: 0 }), []);
  });

  Deno.test(`fake Bot API (${build}): refuses callback data over 64 bytes, a malformed keyboard, an empty text and a text over 4096 characters`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    const cases: [() => Promise<unknown>, RegExp][] = [
      [() =>
        api.sendMessage(CHAT, "x", {
          reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d".repeat(65) }]] },
        }), /BUTTON_DATA_INVALID/],
      [() => api.sendMessage(CHAT, " "), /message text is empty/],
      [() => api.sendMessage(CHAT, "x".repeat(4097)), /message is too long/],
    ];
    const malformed = await fetch(`${telegram.apiRoot}/bot${telegram.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: CHAT, text: "x", reply_markup: { inline_keyboard: 5 } }),
    });
    assert.equal(malformed.status, 400, "a keyboard that is not a list is a 400, not a crash");
    await malformed.body?.cancel();
    for (const [call, description] of cases) {
      const error = await call().catch((e) => e);
      assert.ok(error instanceof GrammyError, String(error));
      assert.match(error.description, description);
    }
    assert.deepEqual(telegram.messages(CHAT), []);
  });

  Deno.test(`fake Bot API (${build}): answers 429 with retry_after, then 500, for the next calls of a method only`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    telegram.failNext("sendMessage", { kind: "too_many_requests", retryAfter: 7 }, 2);
    telegram.failNext("sendMessage", { kind: "server_error" });
    for (const expected of [429, 429, 500]) {
      const error = await api.sendMessage(CHAT, "hot").catch((e) => e);
      assert.ok(error instanceof GrammyError, String(error));
      assert.equal(error.error_code, expected);
      if (expected === 429) assert.equal(error.parameters.retry_after, 7);
    }
    assert.equal((await api.getMe()).is_bot, true, "other methods are not affected");
    assert.equal((await api.sendMessage(CHAT, "hot")).message_id, 1, "failed calls sent nothing");
    assert.deepEqual(telegram.calls("sendMessage").map((r) => r.status), [429, 429, 500, 200]);
  });

  Deno.test(`fake Bot API (${build}): a hung call is answered when released`, async () => {
    await using telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    telegram.failNext("sendMessage", { kind: "hang" });
    let settled = false;
    const pending = api.sendMessage(CHAT, "hot").finally(() => settled = true);
    const request = await telegram.waitForRequest("sendMessage");
    assert.equal(request.status, "hung");
    assert.equal(await api.sendMessage(CHAT, "other").then((m) => m.text), "other");
    assert.equal(settled, false, "still held after another call went through");
    assert.equal(telegram.releaseHung(), 1);
    assert.equal((await pending).text, "hot");
    assert.equal(request.status, 200);
  });

  Deno.test(`fake Bot API (${build}): close() ends a hung call and stops cleanly`, async () => {
    const telegram = await startFakeBotApi();
    const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
    telegram.failNext("sendMessage", { kind: "hang" });
    const pending = api.sendMessage(CHAT, "hot").catch((e) => e);
    await telegram.waitForRequest("sendMessage");
    await telegram.close();
    const error = await pending;
    assert.ok(error instanceof GrammyError, String(error));
    assert.equal(error.error_code, 503);
    const refused = await api.getMe().catch((e) => e);
    assert.ok(refused instanceof HttpError, "nothing listens after close()");
  });

  Deno.test(`fake Bot API (${build}): a wrong token gets 401 and an unknown method 404`, async () => {
    await using telegram = await startFakeBotApi();
    const wrong = new Api("999:other", { apiRoot: telegram.apiRoot });
    const unauthorized = await wrong.getMe().catch((e) => e);
    assert.ok(unauthorized instanceof GrammyError);
    assert.equal(unauthorized.error_code, 401);
    const unknown = await fetch(`${telegram.apiRoot}/bot${telegram.token}/sendTelepathy`, {
      method: "POST",
    });
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), {
      ok: false,
      error_code: 404,
      description: "Not Found: method not found",
    });
  });

  Deno.test(`fake Bot API (${build}): a polling bot gets the fed updates, answers a command and a button press`, async () => {
    await using telegram = await startFakeBotApi();
    const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
    bot.command("status", (ctx) =>
      ctx.reply(`pc1 is fine (${ctx.match || "no argument"})`, {
        reply_markup: alertKeyboard(ALERT),
      }));
    bot.on("callback_query:data", async (ctx) => {
      const pressed = parseAlertButton(ctx.callbackQuery.data);
      assert.ok(pressed.ok);
      await ctx.answerCallbackQuery(`Saved: ${pressed.action}`);
      await ctx.editMessageReplyMarkup({
        reply_markup: alertKeyboard(ALERT, { verdict: "wrong" }),
      });
    });
    telegram.pushText(CHAT, "/status pc1");
    const stopped = bot.start({ timeout: 30 });
    const reply = await telegram.waitForRequest("sendMessage");
    assert.equal(reply.params.text, "pc1 is fine (pc1)");
    assert.equal(reply.status, 200);

    const [sent] = telegram.messages(CHAT);
    const wrong = alertKeyboard(ALERT).inline_keyboard[0][1];
    assert.ok("callback_data" in wrong);
    telegram.pushCallback(CHAT, sent.message_id, wrong.callback_data);
    await telegram.waitForRequest("editMessageReplyMarkup");
    await bot.stop();
    await stopped;

    assert.deepEqual(telegram.calls("answerCallbackQuery")[0].params, {
      callback_query_id: "callback-2",
      text: "Saved: wrong",
    });
    assert.deepEqual(
      telegram.messages(CHAT)[0].reply_markup,
      alertKeyboard(ALERT, { verdict: "wrong" }),
    );
    assert.equal(telegram.calls("deleteWebhook").length, 1, "bot.start() clears the webhook");
    assert.ok(telegram.calls("getUpdates").length >= 2);
  });
}

Deno.test("fake Bot API: getUpdates long-polls until an update is fed, drops confirmed updates and ends an older poll with 409", async (t) => {
  await using telegram = await startFakeBotApi();
  const api = new grammyWeb.Api(telegram.token, { apiRoot: telegram.apiRoot });
  await t.step("a waiting poll returns the update fed while it waits", async () => {
    const polled = api.getUpdates({ timeout: 30 });
    await telegram.waitForRequest("getUpdates", 1);
    const fed = telegram.pushText(CHAT, "hello");
    assert.deepEqual(await polled, [fed]);
  });
  await t.step("an offset past an update confirms it", async () => {
    const second = telegram.pushText(CHAT, "again");
    assert.deepEqual((await api.getUpdates({ offset: 2 })).map((u) => u.update_id), [2]);
    assert.deepEqual(await api.getUpdates({ offset: second.update_id + 1 }), []);
  });
  await t.step("a second poll ends the first", async () => {
    const first = api.getUpdates({ timeout: 30, offset: 3 }).catch((e) => e);
    await telegram.waitForRequest("getUpdates", 4);
    assert.deepEqual(await api.getUpdates({ offset: 3 }), []);
    const error = await first;
    assert.ok(error instanceof grammyWeb.GrammyError, String(error));
    assert.equal(error.error_code, 409);
    assert.match(error.description, /terminated by other getUpdates request/);
  });
});

Deno.test("fake Bot API: waitForRequest() fails at close() and failNext() refuses a bad count", async () => {
  const telegram = await startFakeBotApi();
  const waiting = assert.rejects(
    telegram.waitForRequest("sendMessage"),
    /closed before request 1 of sendMessage/,
  );
  assert.throws(
    () => telegram.failNext("sendMessage", { kind: "server_error" }, 0),
    /'times' must be a whole number >= 1, got 0/,
  );
  await telegram.close();
  await waiting;
  assert.throws(
    () => telegram.pushCallback(CHAT, 1, "alert:right:x"),
    /the bot sent no message 1 to chat 4242/,
  );
});

Deno.test("startFakeBotApi() refuses a token that is not a bot token", async () => {
  await assert.rejects(
    () => startFakeBotApi({ token: "secret" }),
    /'token' must look like '123456:ABC-def', got 'secret'/,
  );
});
