import type { Logger } from "../../shared/log.ts";

/** How far the buffer was delivered: everything before this byte of this segment. */
export interface Position {
  segment: number;
  offset: number;
}

/** True when `a` comes before `b` in the buffer. */
export const before = (a: Position, b: Position) =>
  a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);

/** The saved cursor; the start when there is none, or when it is damaged (then every record is replayed). */
export async function readCursor(path: string, log: Logger): Promise<Position> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { segment: 0, offset: 0 };
    throw error;
  }
  try {
    const value = JSON.parse(text);
    if (Number.isSafeInteger(value.segment) && Number.isSafeInteger(value.offset)) return value;
  } catch {
    // Reported below: a damaged cursor means replaying from the oldest record.
  }
  log.warn("buffer cursor is damaged: replaying every buffered reading", { cursor: text });
  return { segment: 0, offset: 0 };
}

/** Writes the cursor atomically (a new file renamed over the old one). */
export async function saveCursor(path: string, position: Position): Promise<void> {
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(position));
  await Deno.rename(`${path}.tmp`, path);
}
