import { Composer } from "grammy/web";
import type { Chat } from "grammy/types";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { ALL_DEVICES } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { BotContext } from "./bot_context.ts";
import { clockTime } from "./format_time.ts";
import type { Pairing } from "./pairing_code.ts";

export interface AccessGateDeps {
  store: Pick<Store, "getChat" | "saveChat" | "subscribe">;
  /** TELEGRAM_ALLOWED_CHAT_IDS: the owner's chats, no pairing needed. */
  allowedChatIds: readonly number[];
  pairing: Pairing;
  log: Logger;
  clock: Clock;
  timeZone: string;
}

/** What a chat that is not the owner's is told, once: nothing about any device. */
export const REFUSAL = "Sorry, this bot only answers its owner. If that is you, send /start " +
  "followed by the pairing code from the service's log.";
/** The answer to a button pressed in a chat that is not the owner's. */
export const REFUSAL_SHORT = "This bot only answers its owner.";
/** A chat that is not the owner's is answered at most once in this long (per process). */
export const REFUSAL_INTERVAL_MS = 10 * 60_000;
/** Chats remembered as refused; the oldest are forgotten past it. */
const REFUSED_REMEMBERED = 1000;

/**
 * The first thing every update meets: only the owner's chats get through.
 *
 * A chat is the owner's when it is in `TELEGRAM_ALLOWED_CHAT_IDS`, or when it
 * paired: it sent `/start <code>` with the pairing code the service's log
 * shows (`pairing_code.ts`), and was stored with `saveChat` and subscribed to
 * every device's alerts. For those the gate sets `ctx.access` and passes the
 * update on.
 *
 * Anyone else gets one polite refusal (at most one per chat every 10 minutes
 * in a process, so a stranger cannot make the bot talk), learns nothing
 * about any device, and nothing of theirs is stored: no chat, no message, no
 * name; the log keeps their chat id. A stranger's `/start` also prints the
 * current pairing code in the log, so the owner finds a fresh one there even
 * when the service (a long-lived Deno Deploy isolate) started long ago.
 * Updates without a chat (inline queries, ...) are dropped.
 */
export function createAccessGate(deps: AccessGateDeps): Composer<BotContext> {
  const { store, pairing, log, clock, timeZone } = deps;
  const allowed = new Set(deps.allowedChatIds);
  /** Paired chats seen by this process: there is no unpairing, so a hit stays true. */
  const paired = new Set<number>();
  const refusedAt = new Map<number, number>();
  const gate = new Composer<BotContext>();

  gate.use(async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat) {
      log.debug("update without a chat ignored", { update_id: ctx.update.update_id });
      return;
    }
    if (allowed.has(chat.id)) {
      ctx.access = { how: "allowed", justPaired: false };
      await next();
      return;
    }
    if (paired.has(chat.id) || (await store.getChat(chat.id)) !== null) {
      paired.add(chat.id);
      ctx.access = { how: "paired", justPaired: false };
      await next();
      return;
    }
    const code = pairingCodeOf(ctx);
    if (code !== null && pairing.verify(code)) {
      await store.saveChat({
        chat_id: chat.id,
        paired_at: new Date(clock.now()).toISOString(),
        name: chatName(chat),
      });
      await store.subscribe(chat.id, ALL_DEVICES);
      paired.add(chat.id);
      log.info("chat paired with the pairing code", { chat: chat.id, type: chat.type });
      ctx.access = { how: "paired", justPaired: true };
      await next();
      return;
    }
    await refuse(ctx, chat, code);
  });

  async function refuse(ctx: BotContext, chat: Chat, code: string | null) {
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: REFUSAL_SHORT });
      return;
    }
    const now = clock.now();
    const last = refusedAt.get(chat.id);
    if (last !== undefined && now - last < REFUSAL_INTERVAL_MS) {
      log.debug("message from a chat that is not the owner's ignored", { chat: chat.id });
      return;
    }
    remember(chat.id, now);
    const asked = code !== null;
    log.info("refused a chat that is not the owner's", {
      chat: chat.id,
      type: chat.type,
      asked_to_pair: asked || isStart(ctx),
      wrong_code: asked || undefined,
    });
    if (asked || isStart(ctx)) {
      const current = pairing.current();
      const link = ctx.me?.username
        ? ` or open https://t.me/${ctx.me.username}?start=${pairing.deepLinkPayload(current)}`
        : "";
      log.info(
        `to pair a chat with the bot, send /start ${current.code}${link} (valid until ${
          clockTime(current.expiresAt, { timeZone, now })
        } ${timeZone})`,
      );
    }
    if (ctx.message) await ctx.reply(REFUSAL);
  }

  function remember(chatId: number, now: number) {
    refusedAt.delete(chatId);
    refusedAt.set(chatId, now);
    if (refusedAt.size > REFUSED_REMEMBERED) {
      refusedAt.delete(refusedAt.keys().next().value!);
    }
  }

  return gate;
}

/** The argument of a `/start` command (a pairing code or a deep link's payload), else null. */
function pairingCodeOf(ctx: BotContext): string | null {
  const match = /^\/start(?:@\w+)?\s+(\S.*)$/s.exec(ctx.message?.text ?? "");
  return match ? match[1]!.trim() : null;
}

function isStart(ctx: BotContext): boolean {
  return /^\/start(?:@\w+)?(\s|$)/.test(ctx.message?.text ?? "");
}

/** The chat's title, or its user's name, for lists; at most 200 characters. */
function chatName(chat: Chat): string | null {
  const name = "title" in chat && chat.title ? chat.title : [
    "first_name" in chat ? chat.first_name : undefined,
    "last_name" in chat ? chat.last_name : undefined,
  ].filter(Boolean).join(" ");
  return name ? name.slice(0, 200) : null;
}
