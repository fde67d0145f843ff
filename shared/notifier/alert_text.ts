import type { Alert } from "../store/records.ts";

/** Telegram's most characters in a text message. */
export const TELEGRAM_TEXT_MAX = 4096;

export interface AlertTextOptions {
  /** Now, ms since the epoch. */
  now: number;
  /** An alert older than this when it goes out says how late it is, ms. */
  maxAgeMs: number;
}

/**
 * The text of an alert's Telegram message: the alert's own `message` (the
 * consumer's alert formatter writes it; nothing is reworded here), sent as
 * plain text (no `parse_mode`, so nothing needs escaping), headed by a line
 * saying how late it is when it is older than `maxAgeMs`, and cut to
 * Telegram's 4,096 characters (ending with `…`, never inside a character).
 */
export function alertText(alert: Alert, options: AlertTextOptions): string {
  const ageMs = options.now - eventTimeOf(alert);
  const late = ageMs > options.maxAgeMs
    ? `⏰ Sent ${formatDuration(ageMs)} late: this is about ${formatUtc(eventTimeOf(alert))}.\n\n`
    : "";
  return capped(late + alert.message, TELEGRAM_TEXT_MAX);
}

/**
 * When what the alert tells happened, ms: the reading that raised it; for an
 * offline alert, when the silence was noticed (its reading is the last one
 * before the silence, old by design).
 */
export function eventTimeOf(alert: Alert): number {
  return Date.parse(alert.kind === "offline" ? alert.raised_at : alert.timestamp);
}

/** `45 s`, `14 min`, `3 h 20 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** `2026-01-31 12:01 UTC`. */
function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `text` cut to at most `max` UTF-16 units (Telegram's count), ending with `…`. */
function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Do not leave half of a surrogate pair (an emoji) before the ellipsis.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
