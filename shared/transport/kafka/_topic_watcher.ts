import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";

export interface TopicWatcherOptions {
  /** Every topic the cluster has now. */
  listTopics: () => Promise<string[]>;
  /** Whether a topic is to be consumed (listed or matching the pattern). */
  wanted: (topic: string) => boolean;
  /** Starts consuming `topics` besides those taken before; throws if it could not. */
  take: (topics: string[]) => Promise<void>;
  clock: Clock;
  /** Time between two looks at the cluster's topics. */
  intervalMs: number;
  log: Logger;
}

export interface TopicWatcher {
  /** Looks at the cluster's topics once and takes the wanted new ones; returns them. */
  check(): Promise<string[]>;
  /** Checks every `intervalMs` until `stop()`; a failed check is logged and tried again. */
  start(): void;
  /** Topics taken so far. */
  readonly taken: ReadonlySet<string>;
  /** Stops checking and waits for a check in flight. */
  stop(): Promise<void>;
}

/**
 * Finds topics that appear after the consumer started. kafkajs resolves a
 * RegExp subscription once, when it subscribes, so a device that shows up
 * later (a new topic) would be missed; this looks again every `intervalMs`
 * and hands the new ones to `take`. A topic is counted as taken only once
 * `take` succeeded, so a failed take is tried again on the next check.
 */
export function watchTopics(options: TopicWatcherOptions): TopicWatcher {
  const { listTopics, wanted, take, clock, intervalMs, log } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 10) {
    throw new RangeError(
      `Cannot watch topics: 'intervalMs' must be at least 10, got ${intervalMs}`,
    );
  }
  const taken = new Set<string>();
  const stopper = new AbortController();
  let running: Promise<string[]> = Promise.resolve([]);
  let loop: Promise<void> | null = null;
  let failing = false;

  const checkNow = async (): Promise<string[]> => {
    const fresh = (await listTopics()).filter((t) => wanted(t) && !taken.has(t)).sort();
    if (fresh.length === 0) return [];
    await take(fresh);
    for (const topic of fresh) taken.add(topic);
    return fresh;
  };

  // One check at a time: a slow take must not overlap the next one.
  const check = () => (running = running.catch(() => []).then(checkNow));

  return {
    check,
    start() {
      if (loop) return;
      loop = (async () => {
        while (!stopper.signal.aborted) {
          try {
            await clock.sleep(intervalMs, stopper.signal);
          } catch {
            return; // stopped
          }
          try {
            const fresh = await check();
            if (fresh.length > 0) log.info("new topics to consume", { topics: fresh.join(",") });
            if (failing) log.info("topic check works again");
            failing = false;
          } catch (error) {
            if (!failing) {
              log.warn("topic check failed, trying again", {
                retry_in_ms: intervalMs,
                error: (error as Error).message,
              });
            }
            failing = true;
          }
        }
      })();
    },
    get taken() {
      return taken;
    },
    async stop() {
      stopper.abort();
      await loop;
      await running.catch(() => {});
    },
  };
}
