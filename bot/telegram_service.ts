import { type Bot, GrammyError } from "grammy/web";
import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { type Clock, systemClock } from "../shared/clock.ts";
import { ConfigError } from "../shared/config/parse_env.ts";
import type { TelegramEnv } from "../shared/config/telegram_env.ts";
import type { TimeZoneEnv } from "../shared/config/time_zone_env.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import type { Logger } from "../shared/log.ts";
import type { Store } from "../shared/store/store.ts";
import type { BotContext } from "./bot_context.ts";
import { ALLOWED_UPDATES, BOT_COMMANDS } from "./bot_commands.ts";
import {
  type BotModeEnv,
  type PairingEnv,
  WEBHOOK_PATH,
  type WebhookSecretEnv,
} from "./bot_env.ts";
import { createBot } from "./create_bot.ts";
import { clockTime } from "./format_time.ts";
import { createPairing, type Pairing } from "./pairing_code.ts";
import { createTelegramWebhookApp } from "./webhook_app.ts";

/** What the service reads for its bot: the Telegram pieces and the owner's time zone. */
export type TelegramServiceConfig =
  & TelegramEnv
  & BotModeEnv
  & WebhookSecretEnv
  & PairingEnv
  & TimeZoneEnv;

export interface TelegramServiceDeps {
  config: TelegramServiceConfig;
  store: Store;
  log: Logger;
  clock?: Clock;
  /** Per-device hot limits (`HOT_LIMITS`), °C, where the command reads them. */
  hotLimits?: Readonly<Record<string, number>>;
  /** Tests: what getMe would say, so none is made. */
  botInfo?: UserFromGetMe;
}

/** The bot inside a service: its webhook sub-app, or its long polling. */
export interface TelegramService {
  readonly mode: "webhook" | "polling";
  /** The sub-app to mount at `/telegram` in webhook mode; null when polling. */
  readonly webhook: Hono | null;
  readonly bot: Bot<BotContext>;
  /**
   * Prints the pairing code. Polling: asks Telegram who the bot is (a token
   * Telegram refuses stops the start with one line naming
   * TELEGRAM_BOT_TOKEN), sets the command menu, then polls in the background,
   * retrying while Telegram cannot be reached. Webhook: no network at all.
   */
  start(): Promise<void>;
  /** Stops polling (the update in hand is finished); nothing to do for a webhook. */
  stop(): Promise<void>;
}

/** Waits between attempts to reach Telegram while polling, ms (the last repeats). */
export const POLLING_RETRY_MS = [5_000, 15_000, 60_000] as const;
/** How long a start waits for Telegram's first answer before going on without it, ms. */
const START_WAIT_MS = 10_000;
/** How long a stop waits for Telegram to confirm the last update, ms. */
const STOP_TIMEOUT_MS = 5_000;

/**
 * The bot as the service runs it, from the service's settings: null without
 * TELEGRAM_BOT_TOKEN (no bot). `TELEGRAM_MODE=webhook` (the default) needs
 * TELEGRAM_WEBHOOK_SECRET and gives the sub-app to mount at `/telegram`;
 * `polling` needs no public URL (at home, and in `deno task start`).
 */
export function createTelegramService(deps: TelegramServiceDeps): TelegramService | null {
  const { config, log } = deps;
  const clock = deps.clock ?? systemClock;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (token === undefined) return null;
  const mode = config.TELEGRAM_MODE;
  if (mode === "webhook" && config.TELEGRAM_WEBHOOK_SECRET === undefined) {
    throw new ConfigError([
      "TELEGRAM_WEBHOOK_SECRET is not set: the bot's webhook refuses calls without it " +
      "(set one, e.g. openssl rand -hex 32, and register it with deno task bot:set-webhook), " +
      "or set TELEGRAM_MODE=polling to run the bot without a public URL",
    ]);
  }
  const pairing = createPairing({
    secret: token,
    ttlMs: config.TELEGRAM_PAIRING_TTL_MIN * 60_000,
    clock,
  });
  const bot = createBot({
    token,
    store: deps.store,
    log,
    clock,
    allowedChatIds: config.TELEGRAM_ALLOWED_CHAT_IDS,
    pairing,
    timeZone: config.TZ,
    hotLimits: deps.hotLimits,
    botInfo: deps.botInfo,
    apiRoot: config.TELEGRAM_API_ROOT,
  });
  const logPairing = () => logPairingCode({ log, pairing, bot, timeZone: config.TZ, clock });

  if (mode === "webhook") {
    const webhook = createTelegramWebhookApp({
      bot,
      secretToken: config.TELEGRAM_WEBHOOK_SECRET!,
      log,
      clock,
    });
    return {
      mode,
      webhook,
      bot,
      start() {
        log.info(
          `bot: Telegram posts to POST ${WEBHOOK_PATH} (deno task bot:set-webhook registers it)`,
          {
            allowed_chats: config.TELEGRAM_ALLOWED_CHAT_IDS.length,
          },
        );
        logPairing();
        return Promise.resolve();
      },
      stop: () => Promise.resolve(),
    };
  }

  const stopping = new AbortController();
  let polling: Promise<void> | null = null;
  /** One getMe, no retries (grammY's own `init()` retries for ever while Telegram is away). */
  const identify = async () => {
    if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
  };
  return {
    mode,
    webhook: null,
    bot,
    async start() {
      const first = identify();
      const waited = new AbortController();
      const outcome = await Promise.race([
        first.then(() => "ready" as const, (error: unknown) => error),
        clock.sleep(START_WAIT_MS, waited.signal).then(
          () => "slow" as const,
          () => "slow" as const,
        ),
      ]);
      waited.abort();
      if (isUnauthorized(outcome)) throw refusedToken(config.TELEGRAM_API_ROOT);
      if (outcome !== "ready") {
        log.warn("cannot reach Telegram yet; the bot keeps trying", {
          error: outcome === "slow" ? `no answer in ${START_WAIT_MS / 1000} s` : messageOf(outcome),
        });
      }
      polling = poll(first.catch(() => {}));
    },
    async stop() {
      stopping.abort();
      if (bot.isRunning()) {
        const timeout = new AbortController();
        await Promise.race([
          bot.stop().catch((error) => {
            log.warn("Telegram did not confirm the last update", { error: messageOf(error) });
          }),
          clock.sleep(STOP_TIMEOUT_MS, timeout.signal).catch(() => {}),
        ]);
        timeout.abort();
      }
      await polling;
    },
  };

  /** Long polling until stopped, starting again after Telegram could not be reached. */
  async function poll(first: Promise<void>): Promise<void> {
    await first;
    let failures = 0;
    let ready = false;
    while (!stopping.signal.aborted) {
      try {
        await identify();
        if (!ready) {
          if (!(await checkNoWebhook())) return;
          await setMenu();
          logPairing();
          ready = true;
        }
        await bot.start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: (me) =>
            log.info("bot: polling Telegram for updates", { bot: `@${me.username}` }),
        });
        return; // stopped
      } catch (error) {
        if (stopping.signal.aborted) return;
        if (isUnauthorized(error)) {
          log.error(refusedToken(config.TELEGRAM_API_ROOT).message);
          return;
        }
        const wait = POLLING_RETRY_MS[Math.min(failures++, POLLING_RETRY_MS.length - 1)]!;
        log.warn(
          error instanceof GrammyError && error.error_code === 409
            ? "another process takes this bot's updates (409 Conflict); trying again"
            : "cannot poll Telegram; trying again",
          { in_s: wait / 1000, error: messageOf(error) },
        );
        await clock.sleep(wait, stopping.signal).catch(() => {});
      }
    }
  }

  /** Polling would remove a webhook (grammY deletes it): refuse rather than take the bot over. */
  async function checkNoWebhook(): Promise<boolean> {
    const info = await bot.api.getWebhookInfo();
    if (info.url === "") return true;
    log.error(
      `bot: not polling: this bot has a webhook (${info.url}), which polling would remove. ` +
        "Use another bot at home (a token of its own), or remove the webhook with " +
        "deno task bot:set-webhook --delete",
    );
    return false;
  }

  async function setMenu() {
    try {
      await bot.api.setMyCommands([...BOT_COMMANDS]);
    } catch (error) {
      log.warn("cannot set the bot's command menu", { error: messageOf(error) });
    }
  }
}

/**
 * `to pair a chat with the bot, send /start 1234-5678-9012 (valid until 14:20
 * Europe/Berlin)`, with a t.me link when the bot's name is known.
 */
function logPairingCode(deps: {
  log: Logger;
  pairing: Pairing;
  bot: Bot<BotContext>;
  timeZone: string;
  clock: Clock;
}) {
  const { log, pairing, bot, timeZone, clock } = deps;
  const code = pairing.current();
  const username = bot.isInited() ? bot.botInfo.username : null;
  const link = username
    ? ` or open https://t.me/${username}?start=${pairing.deepLinkPayload(code)}`
    : "";
  log.info(
    `to pair a chat with the bot, send /start ${code.code}${link} (valid until ${
      clockTime(code.expiresAt, { timeZone, now: clock.now() })
    } ${timeZone})`,
  );
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 401;
}

function refusedToken(apiRoot: string): CommandError {
  return new CommandError(
    `Telegram (${apiRoot}) refused TELEGRAM_BOT_TOKEN (401 Unauthorized): ` +
      "check the token @BotFather gave, or unset it to run without the bot",
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
