import { decodeCursor, encodeCursor } from "./cursor.ts";
import { checkTimeRangeQuery, type Page, type TimeRangeQuery } from "./store.ts";

/**
 * Lists values stored under keys `[...prefix, timeMs, id]` in time order,
 * one page at a time, honouring `before`/`after` (exclusive) and a cursor.
 */
export async function listTimeOrdered<T>(
  kv: Deno.Kv,
  prefix: Deno.KvKey,
  query: TimeRangeQuery,
): Promise<Page<T>> {
  checkTimeRangeQuery(query);
  const order = query.order ?? "desc";
  let start: Deno.KvKey = query.after !== undefined
    ? [...prefix, Math.floor(query.after) + 1]
    : [...prefix, -Infinity];
  let end: Deno.KvKey = query.before !== undefined
    ? [...prefix, Math.ceil(query.before)]
    : [...prefix, Infinity];
  if (query.cursor !== undefined) {
    const { time, id } = decodeCursor(query.cursor);
    if (order === "desc") end = minKey(end, [...prefix, time, id]);
    else start = maxKey(start, [...prefix, time, id, 0]);
  }
  // An empty range (after at or past before, or a cursor past it): KV refuses start > end.
  if (compare(start, end) >= 0) return { items: [], next_cursor: null };
  const items: T[] = [];
  let last: Deno.KvKey | null = null;
  const iterator = kv.list<T>({ start, end }, {
    limit: query.limit + 1,
    reverse: order === "desc",
  });
  for await (const entry of iterator) {
    if (items.length === query.limit) {
      return { items, next_cursor: cursorOf(last!, prefix.length) };
    }
    items.push(entry.value);
    last = entry.key;
  }
  return { items, next_cursor: null };
}

function cursorOf(key: Deno.KvKey, at: number): string {
  return encodeCursor({ time: key[at] as number, id: key[at + 1] as string });
}

function compare(a: Deno.KvKey, b: Deno.KvKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!, y = b[i]!;
    if (x === y) continue;
    return (x as number | string) < (y as number | string) ? -1 : 1;
  }
  return a.length - b.length;
}

const minKey = (a: Deno.KvKey, b: Deno.KvKey) => (compare(a, b) <= 0 ? a : b);
const maxKey = (a: Deno.KvKey, b: Deno.KvKey) => (compare(a, b) >= 0 ? a : b);
