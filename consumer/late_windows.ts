import type { Reading } from "../shared/reading/mod.ts";
import type { Store } from "../shared/store/store.ts";

export interface LateWindowsOptions {
  store: Store;
  /** Readings per window, the reading itself included. */
  size: number;
}

/**
 * The window of each reading older than what the consumer holds in memory,
 * from the store's readings before it (and the other late readings), in
 * the order of `late`.
 */
export async function windowsFromStore(
  late: readonly Reading[],
  options: LateWindowsOptions,
): Promise<Reading[][]> {
  const { store, size } = options;
  const around = new Map<string, Reading[]>();
  for (const [device, mine] of Map.groupBy(late, (r) => r.device)) {
    const times = mine.map((r) => Date.parse(r.timestamp));
    const first = Math.min(...times), last = Math.max(...times);
    const known = new Map(mine.map((r) => [r.uuid, r]));
    if (size > 1) {
      const before = await store.listReadings(device, {
        before: first,
        order: "desc",
        limit: size - 1,
      });
      for (const r of before.items) known.set(r.uuid, r);
      let cursor: string | undefined;
      do {
        const page = await store.listReadings(device, {
          after: first - 1,
          before: last + 1,
          order: "asc",
          limit: 1000,
          cursor,
        });
        for (const r of page.items) if (!known.has(r.uuid)) known.set(r.uuid, r);
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    }
    around.set(device, [...known.values()].sort(byTime));
  }
  return late.map((reading) => {
    const all = around.get(reading.device)!;
    const end = all.findIndex((r) => r.uuid === reading.uuid);
    return all.slice(Math.max(0, end + 1 - size), end + 1);
  });
}

function byTime(a: Reading, b: Reading): number {
  return Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.uuid < b.uuid ? -1 : 1);
}
