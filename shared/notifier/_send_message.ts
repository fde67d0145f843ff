import type { Api } from "grammy/web";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Clock } from "../clock.ts";
import type { TelegramMessages } from "./outbox_sender.ts";

export interface MessageSenderDeps {
  api: TelegramMessages;
  clock: Clock;
  /** A `sendMessage` without an answer after this is given up, ms. */
  requestTimeoutMs: number;
  /** Whether the sender was stopped: a message it abandons is not a timeout. */
  stopped: () => boolean;
}

/** Sends one message at a time; `abandon()` gives up the one in flight. */
export interface MessageSender {
  send(
    chat: number,
    text: string,
    markup: InlineKeyboardMarkup | undefined,
  ): ReturnType<Api["sendMessage"]>;
  abandon(reason: Error): void;
}

export function createMessageSender(deps: MessageSenderDeps): MessageSender {
  const { api, clock } = deps;
  let inFlight: AbortController | null = null;
  return {
    /** One `sendMessage`, abandoned after `requestTimeoutMs` (on the clock) or by `abandon()`. */
    async send(chat, text, markup) {
      const request = new AbortController();
      const timer = new AbortController();
      inFlight = request;
      clock.sleep(deps.requestTimeoutMs, timer.signal).then(
        () => request.abort(new Error("timeout")),
        () => {},
      );
      try {
        return await api.sendMessage(
          chat,
          text,
          {
            ...(markup ? { reply_markup: markup } : {}),
            link_preview_options: { is_disabled: true },
          },
          // grammY types its signal with a Node shim's AbortSignal; the web one is what it uses.
          request.signal as unknown as Parameters<Api["sendMessage"]>[3],
        );
      } catch (error) {
        if (request.signal.aborted && !deps.stopped()) {
          throw new Error(`no answer from Telegram within ${deps.requestTimeoutMs / 1000} s`);
        }
        throw error;
      } finally {
        timer.abort();
        inFlight = null;
      }
    },
    abandon(reason) {
      inFlight?.abort(reason);
    },
  };
}
