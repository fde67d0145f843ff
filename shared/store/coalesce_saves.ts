import type { SaveResult, ScoredReading, Store } from "./store.ts";

interface Waiting {
  items: readonly ScoredReading[];
  resolve: (result: SaveResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The store, with concurrent `saveScored()` calls written together: while
 * one save is being written, the saves that arrive are gathered and written
 * as one when it is done (group commit). Each call still resolves only once
 * its own readings are stored, with its own counts.
 *
 * Why: the consumer handles several Kafka partitions at once, each a small
 * batch when it keeps up, and every store write has a fixed cost on top of
 * what it writes (Deno KV syncs the file at every commit; DynamoDB pays
 * round trips and reads the devices' summaries). Gathering the partitions' batches keeps
 * the number of writes per second low, so the consumer keeps up with small
 * batches and alerts leave quickly. A call alone is written at once: nothing
 * waits for a timer.
 *
 * If a gathered write fails, each call is written again on its own, so one
 * call's bad readings never fail the others.
 */
export function coalesceSaves(store: Store): Store {
  let queue: Waiting[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const group = queue;
        queue = [];
        if (group.length === 1) {
          const [only] = group as [Waiting];
          await store.saveScored(only.items).then(only.resolve, only.reject);
          continue;
        }
        let saved: SaveResult;
        try {
          saved = await store.saveScored(group.flatMap((waiting) => waiting.items));
        } catch {
          for (const waiting of group) {
            await store.saveScored(waiting.items).then(waiting.resolve, waiting.reject);
          }
          continue;
        }
        const fresh = new Set(saved.storedUuids);
        for (const waiting of group) {
          const storedUuids: string[] = [];
          for (const { reading } of waiting.items) {
            // Each uuid stored now is credited once, to the first call that had it.
            if (fresh.delete(reading.uuid)) storedUuids.push(reading.uuid);
          }
          waiting.resolve({
            stored: storedUuids.length,
            duplicates: waiting.items.length - storedUuids.length,
            storedUuids,
          });
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    ...store,
    saveScored(items) {
      return new Promise<SaveResult>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
