import { z } from "zod";
import { composeEnv, envInt } from "../shared/config/parse_env.ts";
import { TelegramEnv } from "../shared/config/telegram_env.ts";

/** The bot's own settings unless told otherwise. */
export const BOT_DEFAULTS = {
  mode: "webhook",
  /** A pairing code is valid for at least this long and at most twice it. */
  pairingTtlMin: 15,
} as const;

/** Where the service serves the webhook, under the path the API mounts the bot at. */
export const WEBHOOK_PATH = "/telegram/webhook";

/** What Telegram accepts as a webhook's `secret_token`. */
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Config piece: how the service receives updates. `webhook` (the default):
 * Telegram posts them to `POST /telegram/webhook` (a public HTTPS URL, Deno
 * Deploy); `polling`: the service asks Telegram for them, so a machine at
 * home needs no public URL.
 */
export const BotModeEnv = z.object({
  TELEGRAM_MODE: z.enum(["webhook", "polling"], {
    error: "must be webhook (Telegram posts to /telegram/webhook) or polling (no public URL)",
  }).default(BOT_DEFAULTS.mode),
});

/**
 * Config piece: the secret Telegram sends with each webhook call (header
 * `X-Telegram-Bot-Api-Secret-Token`); the service refuses calls without it
 * and `bot:set-webhook` registers it. Required in webhook mode.
 */
export const WebhookSecretEnv = z.object({
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(SECRET_TOKEN, {
    error: "must be 1-256 letters, digits, '_' or '-' (e.g. openssl rand -hex 32)",
  }).optional(),
});

/** Config piece: how long a pairing code printed in the log lets a chat pair, minutes. */
export const PairingEnv = z.object({
  TELEGRAM_PAIRING_TTL_MIN: envInt(1, 1440).default(BOT_DEFAULTS.pairingTtlMin),
});

/** Config piece of `bot:set-webhook`: the public URL of the service's webhook route. */
export const WebhookUrlEnv = z.object({
  TELEGRAM_WEBHOOK_URL: z.url({
    protocol: /^https$/,
    error:
      `must be the https URL of the service's webhook, like https://<app>.deno.net${WEBHOOK_PATH}`,
  }).optional(),
});

/**
 * Everything the service (`deno task serve`, Deno Deploy) reads for its bot,
 * as one piece for its schema: the Telegram piece (token, allowed chats, API
 * root), the mode, the webhook secret and the pairing codes' lifetime. The
 * owner's time zone (`TZ`, `shared/config/time_zone_env.ts`) is a piece of
 * its own, shared with the status page.
 */
export const BotServiceEnv = composeEnv(TelegramEnv, BotModeEnv, WebhookSecretEnv, PairingEnv);

export type BotModeEnv = z.output<typeof BotModeEnv>;
export type WebhookSecretEnv = z.output<typeof WebhookSecretEnv>;
export type PairingEnv = z.output<typeof PairingEnv>;
export type WebhookUrlEnv = z.output<typeof WebhookUrlEnv>;
