import { z } from "zod";

/** Telegram's Bot API unless `TELEGRAM_API_ROOT` says otherwise. */
export const TELEGRAM_DEFAULTS = { apiRoot: "https://api.telegram.org" } as const;

/** A bot token as @BotFather gives it: `<bot id>:<secret>`. */
const BOT_TOKEN = /^\d+:[A-Za-z0-9_-]+$/;

/**
 * Config piece: the Telegram bot (the consumer's alerts, the service's bot).
 * Without `TELEGRAM_BOT_TOKEN` alerts are logged only. `TELEGRAM_ALLOWED_CHAT_IDS`
 * (comma-separated chat ids; groups are negative) are the owner's chats:
 * they get every device's alerts. `TELEGRAM_API_ROOT` points at another Bot
 * API server (a self-hosted one, or the fake one in tests).
 */
export const TelegramEnv = z.object({
  TELEGRAM_BOT_TOKEN: z.string()
    .regex(BOT_TOKEN, { error: "must look like 123456789:AAH... (the token @BotFather gave)" })
    .optional(),
  TELEGRAM_ALLOWED_CHAT_IDS: z.string().transform((text, ctx) => {
    const ids: number[] = [];
    for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
      const id = /^-?\d+$/.test(part) ? Number(part) : NaN;
      if (!Number.isSafeInteger(id) || id === 0) {
        ctx.addIssue({
          code: "custom",
          message: `'${part}' is not a chat id: a whole number other than 0 (groups are negative)`,
        });
        return z.NEVER;
      }
      ids.push(id);
    }
    return [...new Set(ids)];
  }).default([]),
  TELEGRAM_API_ROOT: z.url({
    protocol: /^https?$/,
    error: "must be a URL like https://api.telegram.org",
  }).transform((url) => url.replace(/\/+$/, "")).default(TELEGRAM_DEFAULTS.apiRoot),
});

export type TelegramEnv = z.output<typeof TelegramEnv>;
