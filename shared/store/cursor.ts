import { decodeBase64, encodeBase64 } from "../base64.ts";
import { InvalidCursorError } from "./store.ts";

/** Where a page ended: the time and id of its last item. */
export interface CursorPosition {
  time: number;
  id: string;
}

/** An opaque, URL-safe cursor for a position. */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url([position.time, position.id]);
}

/** Reads a cursor made by {@linkcode encodeCursor}; throws {@linkcode InvalidCursorError} for anything else. */
export function decodeCursor(cursor: string): CursorPosition {
  const value = fromBase64Url(cursor);
  if (
    Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) &&
    typeof value[1] === "string"
  ) {
    return { time: value[0], id: value[1] };
  }
  throw new InvalidCursorError(cursor);
}

/** An opaque cursor for a list ordered by name: the last name of a page. */
export function encodeNameCursor(name: string): string {
  return toBase64Url({ after: name });
}

/** Reads a cursor made by {@linkcode encodeNameCursor}; throws {@linkcode InvalidCursorError} for anything else. */
export function decodeNameCursor(cursor: string): string {
  const value = fromBase64Url(cursor) as { after?: unknown } | null;
  if (typeof value?.after === "string" && value.after.length > 0) return value.after;
  throw new InvalidCursorError(cursor);
}

function toBase64Url(value: unknown): string {
  return encodeBase64(new TextEncoder().encode(JSON.stringify(value)))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The JSON in a cursor, or null when it holds none. */
function fromBase64Url(cursor: string): unknown {
  try {
    const bytes = decodeBase64(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
}
