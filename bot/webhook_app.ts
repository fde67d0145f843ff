import { Buffer } from "node:buffer";
import { timingSafeEqual } from "node:crypto";
import { type Bot, webhookCallback } from "grammy/web";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type Clock, systemClock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { BotContext } from "./bot_context.ts";

export interface TelegramWebhookAppDeps {
  bot: Bot<BotContext>;
  /** TELEGRAM_WEBHOOK_SECRET: Telegram sends it in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: string;
  log: Logger;
  clock?: Clock;
  /**
   * After this long an update still in hand is answered 200 and finished in
   * the background (logged), so Telegram does not send it again. Default 10 s.
   */
  timeoutMs?: number;
}

/** Where Telegram sends the secret token of a webhook call. */
export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
/** The largest webhook body taken: updates are a few KiB. */
export const MAX_UPDATE_BYTES = 1024 * 1024;
/** Refused calls are logged at most once a minute, so a flood cannot fill the log. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

type ErrorCode = "unauthorized" | "bad_request" | "payload_too_large" | "unavailable";
const errorBody = (code: ErrorCode, message: string) => ({ error: { code, message } });

/**
 * The bot's webhook as a Hono sub-app: `POST /webhook`, which the service
 * mounts at `/telegram` (so Telegram posts to `/telegram/webhook`).
 *
 * A call without the right `X-Telegram-Bot-Api-Secret-Token` gets 401 and
 * nothing else happens: it is refused before the body is read or grammY is
 * asked (no `getMe`, no store read). A body that is not an update gets 400,
 * one over 1 MiB 413. An update is handed to grammY's
 * `webhookCallback(bot, "hono", { secretToken })`; the bot's error boundary
 * catches what its features throw, so the answer is 200 once the update is
 * handled. Only when the bot cannot start (Telegram refuses its `getMe`, as
 * for a revoked token) is it 503, which makes Telegram send the update again
 * later. (grammY itself retries a `getMe` that fails on the network or with a
 * 5xx; after 10 s the update is answered 200 and finished in the background.)
 */
export function createTelegramWebhookApp(deps: TelegramWebhookAppDeps): Hono {
  const { bot, secretToken, log } = deps;
  const clock = deps.clock ?? systemClock;
  if (typeof secretToken !== "string" || secretToken.length === 0) {
    throw new RangeError("Cannot serve the bot's webhook: 'secretToken' is empty");
  }
  const expected = Buffer.from(secretToken);
  const handle = webhookCallback(bot, "hono", {
    secretToken,
    timeoutMilliseconds: deps.timeoutMs ?? 10_000,
    onTimeout: () => log.warn("an update took too long: answered, still being handled"),
  });
  let lastRefusalLogged = -Infinity;

  const app = new Hono();
  app.post(
    "/webhook",
    (c, next) => {
      const given = Buffer.from(c.req.header(SECRET_HEADER) ?? "");
      if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
      const now = clock.now();
      if (now - lastRefusalLogged >= REFUSAL_LOG_INTERVAL_MS) {
        lastRefusalLogged = now;
        log.warn(
          `webhook call refused: wrong or missing ${SECRET_HEADER} (is TELEGRAM_WEBHOOK_SECRET ` +
            "the one bot:set-webhook registered?)",
        );
      }
      return Promise.resolve(
        c.json(errorBody("unauthorized", `wrong or missing ${SECRET_HEADER}`), 401),
      );
    },
    bodyLimit({
      maxSize: MAX_UPDATE_BYTES,
      onError: (c) =>
        c.json(
          errorBody("payload_too_large", `an update is at most ${MAX_UPDATE_BYTES} bytes`),
          413,
        ),
    }),
    async (c) => {
      let update: unknown;
      try {
        update = await c.req.json();
      } catch {
        return c.json(errorBody("bad_request", "the body is not JSON"), 400);
      }
      if (!isUpdate(update)) {
        return c.json(errorBody("bad_request", "the body is not a Telegram update"), 400);
      }
      try {
        return await handle(c);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!bot.isInited()) {
          log.error("cannot start the bot: Telegram refused getMe", { error: message });
          return c.json(errorBody("unavailable", "the bot cannot reach Telegram yet"), 503);
        }
        // The error boundary lets nothing through; should its own handler fail, the update
        // is still acknowledged, so Telegram does not send it again and again.
        log.error("webhook update failed", { update_id: update.update_id, error: message });
        return c.body(null, 200);
      }
    },
  );
  app.on(["GET", "PUT", "DELETE", "PATCH"], "/webhook", (c) => {
    c.header("Allow", "POST");
    return c.json(
      { error: { code: "method_not_allowed", message: "Telegram posts updates here" } },
      405,
    );
  });
  return app;
}

function isUpdate(value: unknown): value is { update_id: number } {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Number.isSafeInteger((value as { update_id?: unknown }).update_id);
}
