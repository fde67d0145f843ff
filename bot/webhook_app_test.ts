import assert from "node:assert/strict";
import { createApi } from "../api/create_api.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { OWNER_CHAT, startBotUnderTest, WEBHOOK_SECRET } from "../testing/bot_test_kit.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { startFakeBotApi } from "../testing/fake_bot_api.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import type { Store } from "../shared/store/store.ts";
import { createBot } from "./create_bot.ts";
import { createPairing } from "./pairing_code.ts";
import { createTelegramWebhookApp, MAX_UPDATE_BYTES, SECRET_HEADER } from "./webhook_app.ts";

/** A store that counts every call made to it. */
function counting(store: Store): Store & { calls: string[] } {
  const calls: string[] = [];
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === "calls") return calls;
      const value = Reflect.get(target, name, receiver);
      return typeof value === "function"
        ? (...args: unknown[]) => {
          calls.push(String(name));
          return value.apply(target, args);
        }
        : value;
    },
  }) as Store & { calls: string[] };
}

const update = {
  message: {
    message_id: 1,
    date: 1,
    chat: { id: OWNER_CHAT, type: "private", first_name: "O" },
    text: "/devices",
    entities: [{ type: "bot_command", offset: 0, length: 8 }],
  },
};

Deno.test("webhook: a wrong or missing secret token gets 401 and nothing else happens", async () => {
  await using inner = await aStoreWith([aPcReading()]);
  const store = counting(inner);
  await using bot = await startBotUnderTest({ store });
  const cases: [string, Record<string, string>][] = [
    ["missing", { "content-type": "application/json" }],
    ["wrong", { "content-type": "application/json", [SECRET_HEADER]: "not-the-secret" }],
    ["longer", { [SECRET_HEADER]: `${WEBHOOK_SECRET}x` }],
    ["empty", { [SECRET_HEADER]: "" }],
  ];
  for (const [what, headers] of cases) {
    const response = await bot.post(update as never, headers);
    assert.equal(response.status, 401, what);
    assert.deepEqual(await response.json(), {
      error: { code: "unauthorized", message: `wrong or missing ${SECRET_HEADER}` },
    });
  }
  assert.deepEqual(bot.telegram.requests, [], "no call to Telegram");
  assert.deepEqual(store.calls, [], "no store read");
  const warnings = bot.log.lines.filter((l) => /webhook call refused/.test(l));
  assert.equal(warnings.length, 1, "logged once a minute, not per call");

  const accepted = await bot.post(update as never);
  assert.equal(accepted.status, 200, "the right secret goes through");
  assert.ok(store.calls.length > 0);
});

Deno.test("webhook: a body that is not an update gets 400, an oversized one 413, another method 405", async () => {
  await using bot = await startBotUnderTest();
  const headers = { "content-type": "application/json", [SECRET_HEADER]: WEBHOOK_SECRET };
  const post = (body: string) =>
    bot.app.request("/telegram/webhook", { method: "POST", headers, body });
  const notJson = await post("{not json");
  assert.equal(notJson.status, 400);
  assert.deepEqual(await notJson.json(), {
    error: { code: "bad_request", message: "the body is not JSON" },
  });
  for (const body of ["[]", "{}", '{"update_id":"1"}', "null"]) {
    const response = await post(body);
    assert.equal(response.status, 400, body);
    assert.equal((await response.json()).error.message, "the body is not a Telegram update");
  }
  const huge = await post(JSON.stringify({ update_id: 1, pad: "x".repeat(MAX_UPDATE_BYTES) }));
  assert.equal(huge.status, 413);
  assert.equal((await huge.json()).error.code, "payload_too_large");
  const get = await bot.app.request("/telegram/webhook", { headers });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.deepEqual(bot.telegram.requests, []);
});

Deno.test("webhook: when the bot cannot start (getMe refused) the update gets 503, so Telegram sends it again", async () => {
  await using telegram = await startFakeBotApi();
  await using store = await aStoreWith([aPcReading()]);
  const log = createMemoryLogger();
  const clock = createFakeClock();
  // No botInfo: as on Deno Deploy, the bot asks getMe on its first update.
  const botWith = (token: string) =>
    createBot({
      token,
      store,
      log,
      clock,
      allowedChatIds: [OWNER_CHAT],
      pairing: createPairing({ secret: token, ttlMs: 60_000, clock }),
      timeZone: "UTC",
      apiRoot: telegram.apiRoot,
    });
  const post = (token: string) =>
    createTelegramWebhookApp({ bot: botWith(token), secretToken: WEBHOOK_SECRET, log, clock })
      .request("/webhook", {
        method: "POST",
        headers: { [SECRET_HEADER]: WEBHOOK_SECRET },
        body: JSON.stringify({ update_id: 7, ...update }),
      });

  const stranger = await createTelegramWebhookApp({
    bot: botWith(telegram.token),
    secretToken: WEBHOOK_SECRET,
    log,
    clock,
  }).request("/webhook", { method: "POST", body: JSON.stringify({ update_id: 6, ...update }) });
  assert.equal(stranger.status, 401);
  assert.equal(telegram.requests.length, 0, "a refused call does not even make the bot ask getMe");

  const refused = await post("999:revoked-token");
  assert.equal(refused.status, 503);
  assert.equal((await refused.json()).error.code, "unavailable");
  assert.ok(log.lines.some((l) => /cannot start the bot: Telegram refused getMe/.test(l)));

  telegram.failNext("getMe", { kind: "server_error" }); // grammY tries again at once
  const handled = await post(telegram.token);
  assert.equal(handled.status, 200);
  // (The fake Bot API does not record calls with a token it does not know.)
  assert.deepEqual(telegram.requests.map((r) => [r.method, r.status]), [
    ["getMe", 500],
    ["getMe", 200],
    ["sendMessage", 200],
  ]);
});

Deno.test("webhook: the service's API serves it at POST /telegram/webhook", async () => {
  await using bot = await startBotUnderTest();
  const telegram = createTelegramWebhookApp({
    bot: bot.bot,
    secretToken: WEBHOOK_SECRET,
    log: bot.log,
  });
  const api = createApi({ store: bot.store, log: bot.log, telegram });
  const response = await api.request("/telegram/webhook", {
    method: "POST",
    headers: { [SECRET_HEADER]: WEBHOOK_SECRET, "content-type": "application/json" },
    body: JSON.stringify({ update_id: 9, ...update }),
  });
  assert.equal(response.status, 200);
  assert.deepEqual(bot.textsTo(OWNER_CHAT), [
    "No device has sent a reading yet. Start the producer on a machine (see the README), " +
    "and it appears here within seconds.",
  ]);
  const refused = await api.request("/telegram/webhook", { method: "POST", body: "{}" });
  assert.equal(refused.status, 401);
});
