import type { Clock } from "../shared/clock.ts";

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A clock that only moves when a test calls `advance()` or `tick()`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  advance(ms: number): Promise<void>;
  /** Moves time to the next sleeper's wake-up time (if any) and wakes it. */
  tick(): Promise<boolean>;
  /** How many sleeps are pending. */
  readonly pending: number;
}

/** Lets promise callbacks that are ready run before time moves on. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

export function createFakeClock(start = Date.parse("2026-01-31T12:00:00.000Z")): FakeClock {
  let now = start;
  const sleepers: Sleeper[] = [];

  const wakeDue = async (until: number) => {
    while (true) {
      await settle();
      sleepers.sort((a, b) => a.wakeAt - b.wakeAt);
      const next = sleepers[0];
      if (!next || next.wakeAt > until) break;
      sleepers.shift();
      now = Math.max(now, next.wakeAt);
      next.signal?.removeEventListener("abort", next.onAbort!);
      next.resolve();
    }
    now = Math.max(now, until);
    await settle();
  };

  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper: Sleeper = { wakeAt: now + Math.max(0, ms), resolve, reject, signal };
        sleeper.onAbort = () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(signal!.reason);
        };
        signal?.addEventListener("abort", sleeper.onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    advance: (ms) => wakeDue(now + ms),
    async tick() {
      await settle();
      if (sleepers.length === 0) return false;
      const next = Math.min(...sleepers.map((s) => s.wakeAt));
      await wakeDue(next);
      return true;
    },
    get pending() {
      return sleepers.length;
    },
  };
}
