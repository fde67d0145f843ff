import { Bot, type BotError } from "grammy/web";
import type { UserFromGetMe } from "grammy/types";
import { type Clock, systemClock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { Store } from "../shared/store/store.ts";
import { createAccessGate } from "./access_gate.ts";
import { createAlertFeedback } from "./alert_feedback.ts";
import type { BotContext } from "./bot_context.ts";
import { createCharts } from "./charts.ts";
import { createChatAdmin } from "./chat_admin.ts";
import { createHelp } from "./help.ts";
import { echo } from "./message_text.ts";
import { createMonitoring } from "./monitoring.ts";
import type { Pairing } from "./pairing_code.ts";

export interface BotDeps {
  /** TELEGRAM_BOT_TOKEN. */
  token: string;
  store: Store;
  log: Logger;
  clock?: Clock;
  /** TELEGRAM_ALLOWED_CHAT_IDS: the owner's chats, no pairing needed. */
  allowedChatIds: readonly number[];
  /** The pairing codes other chats may pair with (`createPairing()`). */
  pairing: Pairing;
  /** The owner's time zone (`TZ`) for times and chart axes. */
  timeZone: string;
  /** Per-device hot limits (`HOT_LIMITS`), °C; the profile's default for the others. */
  hotLimits?: Readonly<Record<string, number>>;
  /** What `getMe` would say: tests give it, so no call is made; fetched on first use otherwise. */
  botInfo?: UserFromGetMe;
  /** Telegram's Bot API server (TELEGRAM_API_ROOT). */
  apiRoot?: string;
}

/** Seconds a Bot API call may take, long polls (30 s) included. */
export const API_TIMEOUT_S = 60;

/**
 * The Telegram bot: one Composer per feature, behind the access gate, inside
 * one error boundary.
 *
 * 1. the access gate: only the owner's chats get through (`access_gate.ts`);
 * 2. monitoring: `/start`, `/devices`, `/status`, `/latest`, `/<device>`, `/alerts`;
 * 3. chat admin: `/mute`, `/unmute`, `/subscribe`, `/unsubscribe`;
 * 4. charts: `/chart`;
 * 5. alert feedback: the alert buttons and `Y` / `N` replies;
 * 6. help: `/help` and the answer to anything else.
 *
 * Whatever a feature throws (the store away, Telegram refusing a call, a
 * bug) is caught by the boundary: logged with the update it came from, and
 * the owner told in one line that something went wrong; it never reaches the
 * webhook's caller. `bot.catch` does the same for long polling.
 */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const { store, log, pairing, timeZone, hotLimits } = deps;
  const clock = deps.clock ?? systemClock;
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { timeoutSeconds: API_TIMEOUT_S, ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });

  const onError = async (error: BotError<BotContext>) => {
    const ctx = error.ctx;
    const cause = error.error;
    log.error("the bot failed on an update", {
      update_id: ctx.update.update_id,
      chat: ctx.chat?.id,
      what: describe(ctx),
      error: cause instanceof Error ? cause.message : String(cause),
    });
    // Only the owner hears about it; a stranger's update that failed at the gate gets nothing.
    if ((ctx as Partial<BotContext>).access === undefined) return;
    try {
      if (ctx.callbackQuery) {
        await ctx.answerCallbackQuery({
          text: "Something went wrong on my side; it is in the service log.",
        });
      } else if (ctx.chat) {
        await ctx.reply(
          "Something went wrong on my side; the service log has the details. " +
            "Try again in a moment.",
        );
      }
    } catch (reply) {
      log.warn("cannot tell the chat that an update failed", {
        chat: ctx.chat?.id,
        error: reply instanceof Error ? reply.message : String(reply),
      });
    }
  };
  bot.catch(onError);

  const features = bot.errorBoundary(onError);
  features.use(
    createAccessGate({
      store,
      allowedChatIds: deps.allowedChatIds,
      pairing,
      log: log.child("access"),
      clock,
      timeZone,
    }),
  );
  features.use(createMonitoring({ store, clock, timeZone, hotLimits }));
  features.use(createChatAdmin({ store, clock, timeZone }));
  features.use(createCharts({ store, clock, timeZone, hotLimits }));
  features.use(createAlertFeedback({ store, clock, timeZone, log: log.child("feedback") }));
  features.use(createHelp({ log }));
  return bot;
}

/** What an update was, for the log: `/status pc1`, `button alert:right:...`, `message`. */
function describe(ctx: BotContext): string {
  if (ctx.callbackQuery) return `button ${echo(ctx.callbackQuery.data ?? "", 64)}`;
  const text = ctx.message?.text;
  if (text?.startsWith("/")) return echo(text, 64);
  if (ctx.message) return "message";
  return Object.keys(ctx.update).filter((k) => k !== "update_id").join(",") || "update";
}
