/**
 * The few rules every message the bot writes keeps: under Telegram's 4,096
 * characters, user input echoed only in part, and HTML escaped where a
 * message uses `parse_mode: "HTML"` (the reading tables).
 */

/** Telegram's limit on a message's text, characters. */
export const TEXT_MAX = 4096;
/** Telegram's limit on a photo's caption, characters. */
export const CAPTION_MAX = 1024;

/** `text` cut to `max` characters (a whole line where it can), ending with `…` when cut. */
export function fitText(text: string, max: number = TEXT_MAX): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const lastLine = room.lastIndexOf("\n");
  return `${lastLine > max / 2 ? room.slice(0, lastLine) : room}…`;
}

/** Part of what the user typed, safe to echo: one line, at most `max` characters. */
export function echo(input: string, max = 40): string {
  const line = input.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `<`, `>` and `&` escaped, for messages sent with `parse_mode: "HTML"`. */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
