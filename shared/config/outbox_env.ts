import { z } from "zod";
import { OUTBOX_DEFAULTS } from "../notifier/outbox_sender.ts";
import { envDuration, envInt, envNumber } from "./parse_env.ts";

/**
 * Config piece: how the consumer's outbox sender delivers alerts to
 * Telegram (with `TelegramEnv`). The defaults are the sender's.
 */
export const OutboxEnv = z.object({
  ALERT_MAX_AGE: envDuration(0, 7 * 86_400_000).default(OUTBOX_DEFAULTS.maxAgeMs),
  ALERT_SEND_ATTEMPTS: envInt(1, 1000).default(OUTBOX_DEFAULTS.maxAttempts),
  TELEGRAM_TIMEOUT_S: envNumber(1, 600).default(OUTBOX_DEFAULTS.requestTimeoutMs / 1000),
  OUTBOX_CHECK_INTERVAL_S: envNumber(1, 3600).default(OUTBOX_DEFAULTS.checkIntervalMs / 1000),
});

export type OutboxEnv = z.output<typeof OutboxEnv>;
