import assert from "node:assert/strict";
import { ConfigError } from "../shared/config/parse_env.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { OWNER_CHAT, STRANGER_CHAT, WEBHOOK_SECRET } from "../testing/bot_test_kit.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { BOT_COMMANDS } from "./bot_commands.ts";
import { createTelegramService, type TelegramServiceConfig } from "./telegram_service.ts";
import { SECRET_HEADER } from "./webhook_app.ts";

function configFor(
  telegram: { token: string; apiRoot: string },
  overrides: Partial<TelegramServiceConfig> = {},
): TelegramServiceConfig {
  return {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_ALLOWED_CHAT_IDS: [OWNER_CHAT],
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_MODE: "polling",
    TELEGRAM_WEBHOOK_SECRET: undefined,
    TELEGRAM_PAIRING_TTL_MIN: 15,
    TZ: "UTC",
    ...overrides,
  };
}

Deno.test("createTelegramService(): no bot without TELEGRAM_BOT_TOKEN; a webhook needs TELEGRAM_WEBHOOK_SECRET", async () => {
  await using store = await aStoreWith();
  const log = createMemoryLogger();
  const telegram = { token: "1:x", apiRoot: "http://127.0.0.1:9" };
  assert.equal(
    createTelegramService({
      config: configFor(telegram, { TELEGRAM_BOT_TOKEN: undefined }),
      store,
      log,
    }),
    null,
  );
  assert.throws(
    () =>
      createTelegramService({
        config: configFor(telegram, { TELEGRAM_MODE: "webhook" }),
        store,
        log,
      }),
    (error: Error) =>
      error instanceof ConfigError &&
      /TELEGRAM_WEBHOOK_SECRET is not set: .* or set TELEGRAM_MODE=polling/.test(error.message),
  );
});

Deno.test("webhook mode: start() prints the pairing code and calls nobody; the sub-app takes updates", async () => {
  await using telegram = await startFakeBotApi();
  await using store = await aStoreWith([aPcReading()]);
  const log = createMemoryLogger();
  const service = createTelegramService({
    config: configFor(telegram, {
      TELEGRAM_MODE: "webhook",
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    }),
    store,
    log,
    clock: createFakeClock(Date.parse("2026-01-31T12:01:00.000Z")),
  })!;
  assert.equal(service.mode, "webhook");
  await service.start();
  assert.equal(telegram.requests.length, 0, "no network at start");
  assert.ok(log.lines.some((l) => /Telegram posts to POST \/telegram\/webhook/.test(l)));
  assert.ok(
    log.lines.some((l) =>
      /to pair a chat with the bot, send \/start \d{4}-\d{4}-\d{4} \(valid until 12:30 UTC\)/.test(
        l,
      )
    ),
    log.lines.join("\n"),
  );
  const response = await service.webhook!.request("/webhook", {
    method: "POST",
    headers: { [SECRET_HEADER]: WEBHOOK_SECRET },
    body: JSON.stringify({
      update_id: 1,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: OWNER_CHAT, type: "private", first_name: "O" },
        text: "/pc1",
        entities: [{ type: "bot_command", offset: 0, length: 4 }],
      },
    }),
  });
  assert.equal(response.status, 200);
  assert.deepEqual(telegram.requests.map((r) => r.method), ["getMe", "sendMessage"]);
  await service.stop();
});

Deno.test("polling mode: sets the menu, prints the pairing code with a t.me link, answers updates, stops cleanly", async () => {
  const clock = createFakeClock(Date.parse("2026-01-31T12:01:00.000Z"));
  await using telegram = await startFakeBotApi({ now: () => clock.now() });
  await using store = await aStoreWith([aPcReading()]);
  const log = createMemoryLogger();
  const service = createTelegramService({ config: configFor(telegram), store, log, clock })!;
  assert.equal(service.webhook, null);
  await service.start();
  await telegram.waitForRequest("getUpdates");
  assert.deepEqual(telegram.commands, BOT_COMMANDS);
  const pairingLine = log.lines.find((l) => /to pair a chat/.test(l))!;
  assert.match(
    pairingLine,
    /send \/start (\d{4})-(\d{4})-(\d{4}) or open https:\/\/t\.me\/stresswatch_test_bot\?start=\1\2\3 \(valid until 12:30 UTC\)$/,
  );

  telegram.pushText(OWNER_CHAT, "/devices");
  await telegram.waitForRequest("sendMessage");
  assert.match(String(telegram.calls("sendMessage")[0]!.params.text), /pc1 · pc/);

  // Pairing works the same way when polling.
  const code = /\/start (\S+)/.exec(pairingLine)![1]!;
  telegram.pushText(STRANGER_CHAT, `/start ${code}`);
  await telegram.waitForRequest("sendMessage", 2);
  assert.notEqual(await store.getChat(STRANGER_CHAT), null);

  await service.stop();
  assert.equal(service.bot.isRunning(), false);
  const methods = telegram.requests.map((r) => r.method);
  assert.deepEqual(
    methods.filter((m) => m !== "getUpdates"),
    ["getMe", "getWebhookInfo", "setMyCommands", "deleteWebhook", "sendMessage", "sendMessage"],
  );
  const confirm = telegram.calls("getUpdates").at(-1)!;
  assert.equal(confirm.params.limit, 1, "the last update confirmed on stop");
  assert.deepEqual(telegram.calls("getUpdates")[0]!.params.allowed_updates, [
    "message",
    "callback_query",
  ]);
});

Deno.test("polling mode refuses to take over a bot that has a webhook", async () => {
  await using telegram = await startFakeBotApi();
  await using store = await aStoreWith();
  const log = createMemoryLogger();
  await new (await import("grammy/web")).Api(telegram.token, { apiRoot: telegram.apiRoot })
    .setWebhook("https://stresswatch.example.deno.net/telegram/webhook");
  const service = createTelegramService({ config: configFor(telegram), store, log })!;
  await service.start();
  await waitUntil(() => log.lines.some((l) => /not polling: this bot has a webhook/.test(l)), {
    what: "the refusal",
  });
  await service.stop();
  assert.equal(telegram.webhook?.url, "https://stresswatch.example.deno.net/telegram/webhook");
  assert.deepEqual(telegram.requests.map((r) => r.method), [
    "setWebhook",
    "getMe",
    "getWebhookInfo",
  ]);
  assert.match(
    log.lines.find((l) => /not polling/.test(l))!,
    /Use another bot at home .* deno task bot:set-webhook --delete$/,
  );
});

Deno.test("polling mode: a token Telegram refuses stops the start in one line naming TELEGRAM_BOT_TOKEN", async () => {
  await using telegram = await startFakeBotApi();
  await using store = await aStoreWith();
  const service = createTelegramService({
    config: configFor(telegram, { TELEGRAM_BOT_TOKEN: "999:revoked" }),
    store,
    log: createMemoryLogger(),
  })!;
  await assert.rejects(
    service.start(),
    (error: Error) =>
      error instanceof CommandError &&
      error.message ===
        `Telegram (${telegram.apiRoot}) refused TELEGRAM_BOT_TOKEN (401 Unauthorized): check the token @BotFather gave, or unset it to run without the bot`,
  );
});

Deno.test("polling mode: Telegram out of reach at start is retried on the clock, and stop ends the waiting", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = listener.addr.port;
  listener.close();
  await using store = await aStoreWith();
  const log = createMemoryLogger();
  const clock = createFakeClock();
  const service = createTelegramService({
    config: configFor({ token: "123456:TEST-token", apiRoot: `http://127.0.0.1:${closedPort}` }),
    store,
    log,
    clock,
  })!;
  await service.start(); // does not fail: the service runs without Telegram for now
  assert.ok(log.lines.some((l) => /cannot reach Telegram yet; the bot keeps trying/.test(l)));
  await waitUntil(() => clock.pending === 1, { what: "the wait before the next attempt" });
  assert.ok(log.lines.some((l) => /cannot poll Telegram; trying again in_s=5/.test(l)));
  await clock.advance(5_000);
  await waitUntil(() => log.lines.some((l) => /trying again in_s=15/.test(l)), {
    what: "a second attempt, waiting longer",
  });
  await service.stop();
  assert.equal(clock.pending, 0);
});
