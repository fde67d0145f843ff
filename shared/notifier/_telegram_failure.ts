/**
 * What a failed Bot API call means for an alert's delivery:
 *
 * - `rate_limited`: 429, Telegram says how long to wait (`retry_after`);
 *   every sending pauses that long, and the attempt does not count;
 * - `transient`: 5xx, a network error, no answer in time, or 401/404 (the
 *   token was refused: nothing can be sent until it is fixed): the alert
 *   stays pending and is tried again after a backoff, and the attempt counts;
 * - `refused`: another 4xx (400 chat not found, 403 the bot was blocked or
 *   removed from the group): this chat will not take the message, trying
 *   again would not help.
 */
export type TelegramFailure =
  | { kind: "rate_limited"; retryAfterMs: number; message: string }
  | { kind: "transient"; message: string }
  | { kind: "refused"; message: string };

/** When a 429 says no `retry_after`, ms. */
const DEFAULT_RETRY_AFTER_MS = 5_000;
/** The longest pause a 429 may impose, ms: a bad answer never stops sending for a day. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Reads grammY's errors by shape (`GrammyError`: `error_code`, `description`,
 * `parameters.retry_after`; `HttpError`: the network), so it works whichever
 * build of grammY made them.
 */
export function telegramFailureOf(error: unknown): TelegramFailure {
  const code = (error as { error_code?: unknown })?.error_code;
  if (typeof code !== "number") {
    const cause = (error as { error?: unknown })?.error;
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    return { kind: "transient", message: `${messageOf(error)}${detail}` };
  }
  const description = String((error as { description?: unknown }).description ?? "");
  const message = `${code} ${description}`.trim();
  if (code === 429) {
    const after = (error as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    const retryAfterMs = typeof after === "number" && after >= 0
      ? Math.min(after * 1000, MAX_RETRY_AFTER_MS)
      : DEFAULT_RETRY_AFTER_MS;
    return { kind: "rate_limited", retryAfterMs, message };
  }
  if (code >= 500 || code === 401 || code === 404) return { kind: "transient", message };
  return { kind: "refused", message };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
