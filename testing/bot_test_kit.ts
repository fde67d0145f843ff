import type { Bot } from "grammy/web";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { Hono } from "hono";
import type { BotContext } from "../bot/bot_context.ts";
import { createBot } from "../bot/create_bot.ts";
import { createPairing, type Pairing } from "../bot/pairing_code.ts";
import { createTelegramWebhookApp, SECRET_HEADER } from "../bot/webhook_app.ts";
import type { Store } from "../shared/store/store.ts";
import { aStoreWith } from "./a_store.ts";
import { createFakeClock, type FakeClock } from "./fake_clock.ts";
import { type FakeBotApi, type RecordedRequest, startFakeBotApi } from "./fake_bot_api.ts";
import { createMemoryLogger } from "./memory_logger.ts";

/** The owner's private chat in bot tests: in TELEGRAM_ALLOWED_CHAT_IDS. */
export const OWNER_CHAT = 4242;
/** A chat that is not the owner's. */
export const STRANGER_CHAT = 666;
export const WEBHOOK_SECRET = "test-webhook-secret_0123456789";
/** The fake Bot API's token, whose id is the bot's. */
const TOKEN = "123456:TEST-token";

/** What getMe says of the fake Bot API's bot: given to the bot, so it never asks. */
export const TEST_BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: "Stresswatch test bot",
  username: "stresswatch_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface BotUnderTestOptions {
  store?: Store;
  allowedChatIds?: number[];
  timeZone?: string;
  hotLimits?: Record<string, number>;
  /** Default 2026-01-31T12:01:00Z, a minute after the test readings' time. */
  now?: number;
}

/**
 * The bot as the service runs it, behind its real webhook route
 * (`/telegram/webhook`), talking to a fake Bot API server that records
 * every call, with an in-memory store and a fake clock. Updates go in
 * through `app.request()`, as Telegram would post them.
 */
export interface BotUnderTest extends AsyncDisposable {
  telegram: FakeBotApi;
  store: Store;
  clock: FakeClock;
  log: ReturnType<typeof createMemoryLogger>;
  bot: Bot<BotContext>;
  pairing: Pairing;
  /** The service's routes as far as the bot goes: the webhook sub-app at `/telegram`. */
  app: Hono;
  /** Posts an update to `POST /telegram/webhook` with the secret (or `headers` instead). */
  post(update: Omit<Update, "update_id">, headers?: Record<string, string>): Promise<Response>;
  /** A text message from `chatId` (a command gets its entity as Telegram makes it). */
  send(chatId: number, text: string, options?: { replyTo?: Message }): Promise<Response>;
  /** A press on a button with `data` under `message`, a message the bot sent. */
  press(message: Message, data: string): Promise<Response>;
  /** The requests of `method` for `chatId` so far. */
  callsTo(chatId: number, method?: string): RecordedRequest[];
  /** The texts the bot sent to `chatId` so far. */
  textsTo(chatId: number): string[];
  /** The last message the bot sent to `chatId`, as the fake server keeps it (edits applied). */
  lastMessage(chatId: number): Message;
}

let updateId = 0;
let messageId = 900_000;

export async function startBotUnderTest(options: BotUnderTestOptions = {}): Promise<BotUnderTest> {
  const clock = createFakeClock(options.now ?? Date.parse("2026-01-31T12:01:00.000Z"));
  const telegram = await startFakeBotApi({ token: TOKEN, now: () => clock.now() });
  const store = options.store ?? (await aStoreWith());
  const log = createMemoryLogger();
  const pairing = createPairing({ secret: TOKEN, ttlMs: 15 * 60_000, clock });
  const bot = createBot({
    token: TOKEN,
    store,
    log,
    clock,
    allowedChatIds: options.allowedChatIds ?? [OWNER_CHAT],
    pairing,
    timeZone: options.timeZone ?? "UTC",
    hotLimits: options.hotLimits,
    botInfo: TEST_BOT_INFO,
    apiRoot: telegram.apiRoot,
  });
  const app = new Hono().route(
    "/telegram",
    createTelegramWebhookApp({ bot, secretToken: WEBHOOK_SECRET, log, clock }),
  );

  const post: BotUnderTest["post"] = (update, headers) =>
    Promise.resolve(app.request("/telegram/webhook", {
      method: "POST",
      headers: headers ?? { "content-type": "application/json", [SECRET_HEADER]: WEBHOOK_SECRET },
      body: JSON.stringify({ update_id: ++updateId, ...update }),
    }));

  const chatOf = (chatId: number) =>
    chatId > 0
      ? { id: chatId, type: "private" as const, first_name: "Owner" }
      : { id: chatId, type: "group" as const, title: "Group" };

  const callsTo = (chatId: number, method?: string) =>
    telegram.requests.filter((r) =>
      (method === undefined || r.method === method) && Number(r.params.chat_id) === chatId
    );

  return {
    telegram,
    store,
    clock,
    log,
    bot,
    pairing,
    app,
    post,
    send(chatId, text, sendOptions = {}) {
      const command = /^\/[A-Za-z0-9_]+(?:@\w+)?/.exec(text);
      return post({
        message: {
          message_id: ++messageId,
          date: Math.floor(clock.now() / 1000),
          chat: chatOf(chatId),
          from: { id: Math.abs(chatId), is_bot: false, first_name: "Owner" },
          text,
          ...(command
            ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
            : {}),
          ...(sendOptions.replyTo ? { reply_to_message: sendOptions.replyTo } : {}),
        },
      } as Omit<Update, "update_id">);
    },
    press(message, data) {
      return post({
        callback_query: {
          id: `callback-${updateId + 1}`,
          from: { id: Math.abs(message.chat.id), is_bot: false, first_name: "Owner" },
          chat_instance: `instance-${message.chat.id}`,
          message,
          data,
        },
      });
    },
    callsTo,
    textsTo: (chatId) => callsTo(chatId, "sendMessage").map((r) => String(r.params.text)),
    lastMessage(chatId) {
      const message = telegram.messages(chatId).at(-1);
      if (!message) throw new Error(`The bot sent nothing to chat ${chatId}`);
      return message;
    },
    async [Symbol.asyncDispose]() {
      await telegram.close();
      if (!options.store) await store.close();
    },
  };
}
