import { InvalidCursorError } from "./store.ts";

/** Where a page ended: the time and id of its last item. */
export interface CursorPosition {
  time: number;
  id: string;
}

/** An opaque, URL-safe cursor for a position. */
export function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify([position.time, position.id]);
  return btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Reads a cursor made by {@linkcode encodeCursor}; throws {@linkcode InvalidCursorError} for anything else. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const value = JSON.parse(json);
    if (
      Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) &&
      typeof value[1] === "string"
    ) {
      return { time: value[0], id: value[1] };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError(cursor);
}
