import { Composer } from "grammy/web";
import type { Api } from "grammy/web";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { recordVerdict, type Verdict } from "../shared/store/record_verdict.ts";
import type { Alert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import {
  alertKeyboard,
  MUTE_BUTTON_MS,
  parseAlertButton,
} from "../shared/telegram/alert_buttons.ts";
import type { BotContext } from "./bot_context.ts";
import { clockTime } from "./format_time.ts";
import { fitText, TEXT_MAX } from "./message_text.ts";

export interface AlertFeedbackDeps {
  store: Pick<
    Store,
    "getAlert" | "saveFeedback" | "listFeedback" | "listAlerts" | "getDevice" | "setMute"
  >;
  clock: Clock;
  timeZone: string;
  log: Logger;
}

/**
 * How far before a replied-to message's date an alert may have been raised
 * and still be found by its deliveries (an alert the outbox sent late), ms.
 */
export const REPLY_LOOKBACK_MS = 6 * 60 * 60_000;
/** Alerts looked through, at most, for the one a reply answers. */
const REPLY_LOOKUP_LIMIT = 500;

const VERDICT_LINE = /^(?:✅|❌) You said: (right|wrong)\b/;
const MUTE_LINE = /^🔕 \S+ muted until /;
const LABEL: Record<Verdict, string> = { right: "✅ right", wrong: "❌ wrong" };

/**
 * The owner's answers to alerts: the buttons "✅ right", "❌ wrong" and
 * "🔕 1 h" the consumer's outbox puts on every alert message, and the old
 * text reply `Y` / `N` to an alert's message.
 *
 * A verdict goes through `recordVerdict()`, the one code path the API's
 * `POST /alerts/{id}/verdict` takes too, so a second answer replaces the
 * first and never adds a second label. "🔕 1 h" mutes the alert's device for
 * an hour (never shortening a longer mute). Each answer edits the alert
 * message to show it (a line under the alert, the chosen button marked) and
 * answers the button press. A button whose data is not an alert button, or
 * whose alert the store no longer has, gets a polite answer and a log line.
 *
 * A `Y` / `N` reply finds its alert from the replied-to message: the alert
 * id in that message's buttons, or else (a message without buttons) the
 * alert whose deliveries record this chat and message id among the alerts
 * raised up to 6 hours before it: one bounded page of `listAlerts`, no
 * store change.
 */
export function createAlertFeedback(deps: AlertFeedbackDeps): Composer<BotContext> {
  const { store, clock, timeZone, log } = deps;
  const feedback = new Composer<BotContext>();

  feedback.on("callback_query:data", async (ctx, next) => {
    const data = ctx.callbackQuery.data;
    if (!data.startsWith("alert")) {
      await next();
      return;
    }
    const button = parseAlertButton(data);
    if (!button.ok) {
      log.warn("alert button not understood", { reason: button.reason });
      await ctx.answerCallbackQuery({
        text: "I do not understand this button; it may be from an older version of the bot.",
      });
      return;
    }
    const alert = await store.getAlert(button.key);
    if (!alert) {
      log.info("button of an alert the store does not have", { key: button.key });
      await ctx.answerCallbackQuery({ text: "I no longer have this alert." });
      return;
    }
    const message = ctx.callbackQuery.message;
    const shown = message && message.date !== 0 ? (message as Message) : null;
    if (button.action === "mute_1h") {
      const muted = await muteForAnHour(alert);
      await ctx.answerCallbackQuery({ text: muted.answer });
      if (shown && muted.until !== null) {
        await showOnMessage(ctx.api, shown, alert, { mutedUntil: muted.until });
      }
      return;
    }
    const verdict = button.action;
    const recorded = await recordVerdict(store, { alertId: alert.id, verdict, at: clock.now() });
    if (!recorded) {
      await ctx.answerCallbackQuery({ text: "I no longer have this alert." });
      return;
    }
    await ctx.answerCallbackQuery({ text: answerOf(verdict, recorded.previous) });
    if (shown && recorded.previous !== verdict) {
      await showOnMessage(ctx.api, shown, alert, { verdict });
    }
  });

  feedback.on("message:text", async (ctx, next) => {
    const verdict = yesOrNo(ctx.message.text);
    if (verdict === null) {
      await next();
      return;
    }
    const replied = ctx.message.reply_to_message;
    if (!replied || replied.from?.id !== ctx.me.id) {
      await ctx.reply(
        "To answer an alert, reply to its message with Y or N, or press its ✅ / ❌ buttons.",
      );
      return;
    }
    const alert = await alertOfMessage(ctx.chat.id, replied);
    if (!alert) {
      await ctx.reply("That message is not an alert I have; reply Y or N to an alert.", {
        reply_parameters: { message_id: ctx.message.message_id },
      });
      return;
    }
    const recorded = await recordVerdict(store, { alertId: alert.id, verdict, at: clock.now() });
    if (!recorded) {
      await ctx.reply("I no longer have this alert.");
      return;
    }
    await ctx.reply(`${answerOf(verdict, recorded.previous)} (${alert.device}'s alert).`, {
      reply_parameters: { message_id: replied.message_id },
    });
    if (recorded.previous !== verdict) await showOnMessage(ctx.api, replied, alert, { verdict });
  });

  /** The alert a message of the bot is: by its buttons, else by the alerts' deliveries. */
  async function alertOfMessage(chatId: number, message: Message): Promise<Alert | null> {
    for (const button of message.reply_markup?.inline_keyboard.flat() ?? []) {
      const parsed = "callback_data" in button ? parseAlertButton(button.callback_data) : null;
      if (parsed?.ok) return await store.getAlert(parsed.key);
    }
    const sent = message.date * 1000;
    const page = await store.listAlerts({
      after: sent - REPLY_LOOKBACK_MS,
      before: sent + 60_000,
      limit: REPLY_LOOKUP_LIMIT,
    });
    return page.items.find((alert) =>
      alert.deliveries.some((d) => d.chat_id === chatId && d.message_id === message.message_id)
    ) ?? null;
  }

  /** Mutes the alert's device for an hour from now, unless it is muted longer already. */
  async function muteForAnHour(alert: Alert): Promise<{ answer: string; until: number | null }> {
    const device = await store.getDevice(alert.device);
    if (!device) return { answer: `I no longer know ${alert.device}.`, until: null };
    const now = clock.now();
    const current = device.muted_until ? Date.parse(device.muted_until) : 0;
    const wanted = now + MUTE_BUTTON_MS;
    if (current >= wanted) {
      return {
        answer: `${alert.device} is muted until ${clockTime(current, { timeZone, now })} already.`,
        until: current,
      };
    }
    await store.setMute(alert.device, new Date(wanted).toISOString());
    return { answer: `🔕 ${alert.device} muted for 1 h.`, until: wanted };
  }

  /**
   * Edits the alert message: the alert's text with one line per answer
   * ("✅ You said: right (13:05)", "🔕 pc1 muted until 14:05"), the chosen
   * button marked. The keyboard goes with every edit, since Telegram drops
   * it from a message edited without one.
   */
  async function showOnMessage(
    api: Api,
    message: Message,
    alert: Alert,
    change: { verdict?: Verdict; mutedUntil?: number },
  ) {
    const now = clock.now();
    const lines = (message.text ?? alert.message).split("\n");
    let verdictLine = lines.find((l) => VERDICT_LINE.test(l)) ?? null;
    let muteLine = lines.find((l) => MUTE_LINE.test(l)) ?? null;
    const base = lines.filter((l) => !VERDICT_LINE.test(l) && !MUTE_LINE.test(l)).join("\n")
      .trimEnd();
    if (change.verdict) {
      verdictLine = `${change.verdict === "right" ? "✅" : "❌"} You said: ${change.verdict} (${
        clockTime(now, { timeZone, now })
      })`;
    }
    if (change.mutedUntil !== undefined) {
      muteLine = `🔕 ${alert.device} muted until ${
        clockTime(change.mutedUntil, { timeZone, now })
      }`;
    }
    const status = [verdictLine, muteLine].filter((l): l is string => l !== null).join("\n");
    const verdict = (verdictLine ? VERDICT_LINE.exec(verdictLine)?.[1] : undefined) as
      | Verdict
      | undefined;
    const keyboard = change.verdict || !message.reply_markup
      ? keyboardOf(alert, verdict) ?? message.reply_markup
      : message.reply_markup;
    const text = `${fitText(base, TEXT_MAX - status.length - 2)}\n\n${status}`;
    try {
      await api.editMessageText(message.chat.id, message.message_id, text, {
        ...(keyboard ? { reply_markup: keyboard } : {}),
      });
    } catch (error) {
      if (/message is not modified/.test((error as Error).message)) return;
      // The answer is stored and acknowledged; only its display failed.
      log.warn("cannot show the answer on the alert message", {
        alert: alert.id,
        chat: message.chat.id,
        error: (error as Error).message,
      });
    }
  }

  return feedback;
}

/**
 * The alert's buttons with the verdict marked; null for an alert whose id
 * cannot travel in a button (one stored before alert ids were keys, found
 * through its delivery), whose message then keeps the buttons it has.
 */
function keyboardOf(alert: Alert, verdict: Verdict | undefined): InlineKeyboardMarkup | null {
  try {
    return alertKeyboard(alert.id, verdict ? { verdict } : {});
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The verdict a text reply gives: Y, yes, right → right; N, no, wrong → wrong; else null. */
export function yesOrNo(text: string): Verdict | null {
  const word = text.trim().toLowerCase().replace(/[.!]+$/, "");
  if (["y", "yes", "right", "✅"].includes(word)) return "right";
  if (["n", "no", "wrong", "❌"].includes(word)) return "wrong";
  return null;
}

function answerOf(verdict: Verdict, previous: Verdict | null): string {
  if (previous === null) return `Noted: ${LABEL[verdict]}`;
  if (previous === verdict) return `Already noted: ${LABEL[verdict]}`;
  return `Changed to ${LABEL[verdict]} (was ${LABEL[previous]})`;
}
