import type { Context } from "grammy/web";

/** How a chat came to be the owner's. */
export interface ChatAccess {
  /** `allowed`: in TELEGRAM_ALLOWED_CHAT_IDS; `paired`: sent a pairing code (a stored chat). */
  how: "allowed" | "paired";
  /** True on the very update that paired the chat (`/start <code>`). */
  justPaired: boolean;
}

/**
 * The context of every update the bot handles: grammY's, plus `access`,
 * which the access gate (`access_gate.ts`) sets before any feature runs. A
 * feature's handler never sees an update from a chat that is not the
 * owner's, so `access` is always there for it.
 */
export type BotContext = Context & { access: ChatAccess };
