import { Api } from "grammy/web";
import type { Clock } from "../clock.ts";
import type { OutboxEnv } from "../config/outbox_env.ts";
import type { TelegramEnv } from "../config/telegram_env.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { createLogNotifier } from "./log_notifier.ts";
import type { Notifier } from "./notifier.ts";
import { createOutboxSender, type OutboxSender } from "./outbox_sender.ts";

export interface OpenNotifierDeps {
  store: Store;
  clock: Clock;
  log: Logger;
}

export interface OpenedNotifier {
  notifier: Notifier;
  /** `telegram` with `TELEGRAM_BOT_TOKEN`, else `log`. */
  kind: "telegram" | "log";
  /** The Telegram outbox sender (its counters for /metrics); null for the log notifier. */
  outbox: OutboxSender | null;
  /** Starts sending (the outbox is read at once). */
  start(): void;
  stop(): Promise<void>;
}

/**
 * The notifier the environment names: with `TELEGRAM_BOT_TOKEN`, the
 * Telegram outbox sender over grammY's `Api` (the fetch build, no polling:
 * the consumer only sends) at `TELEGRAM_API_ROOT`; without it, a log line
 * per alert. Nothing is sent before `start()`.
 */
export function openNotifier(env: TelegramEnv & OutboxEnv, deps: OpenNotifierDeps): OpenedNotifier {
  const { store, clock, log } = deps;
  if (env.TELEGRAM_BOT_TOKEN === undefined) {
    const notifier = createLogNotifier({ log, store });
    return { notifier, kind: "log", outbox: null, start() {}, stop: () => Promise.resolve() };
  }
  const api = new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
  const outbox = createOutboxSender({
    store,
    api,
    clock,
    log,
    allowedChatIds: env.TELEGRAM_ALLOWED_CHAT_IDS,
    options: {
      maxAgeMs: env.ALERT_MAX_AGE,
      maxAttempts: env.ALERT_SEND_ATTEMPTS,
      requestTimeoutMs: env.TELEGRAM_TIMEOUT_S * 1000,
      checkIntervalMs: env.OUTBOX_CHECK_INTERVAL_S * 1000,
    },
  });
  return {
    notifier: outbox,
    kind: "telegram",
    outbox,
    start: () => outbox.start(),
    stop: () => outbox.stop(),
  };
}
