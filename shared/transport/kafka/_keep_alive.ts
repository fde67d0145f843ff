import type { Clock } from "../../clock.ts";

export interface KeepAliveOptions {
  /** Sends one heartbeat; may throw (a rebalance in progress). */
  beat: () => Promise<void>;
  clock: Clock;
  intervalMs: number;
  /** Told about a failed heartbeat; the ticking goes on. */
  onError: (error: Error) => void;
}

export interface KeepAlive {
  /** Stops ticking and waits for a heartbeat in flight. */
  stop(): Promise<void>;
}

/**
 * Calls `beat` every `intervalMs` until stopped, so a consumer whose handler
 * works on one batch for longer than the session timeout stays in its group.
 * A failed heartbeat is reported, never thrown: the batch in hand is still
 * worth finishing (storage is idempotent), and its commit will tell.
 */
export function keepAlive(options: KeepAliveOptions): KeepAlive {
  const { beat, clock, intervalMs, onError } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 10) {
    throw new RangeError(
      `Cannot keep alive: 'intervalMs' must be at least 10, got ${intervalMs}`,
    );
  }
  const stopper = new AbortController();
  const loop = (async () => {
    while (!stopper.signal.aborted) {
      try {
        await clock.sleep(intervalMs, stopper.signal);
      } catch {
        return; // stopped
      }
      try {
        await beat();
      } catch (error) {
        onError(error as Error);
      }
    }
  })();
  return {
    async stop() {
      stopper.abort();
      await loop;
    },
  };
}
