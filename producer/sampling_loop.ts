import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";

export interface SamplingLoopOptions {
  /** Takes one sample. */
  sample: (time: number) => Promise<void>;
  /** Time between samples, ms; at least 100. */
  intervalMs: number;
  clock: Clock;
  log: Logger;
}

export interface SamplingStats {
  samples: number;
  failures: number;
  /** Ticks skipped because a sample ran past the next one. */
  skipped: number;
}

/**
 * Calls `sample` on a fixed rhythm: at start, start + interval, start + 2 ×
 * interval, ... A slow sample never makes the rhythm drift and never
 * overlaps the next one: ticks it runs past are skipped and counted. A
 * failing sample is logged (once per run of failures) and the loop goes on.
 */
export function createSamplingLoop(options: SamplingLoopOptions) {
  const { sample, intervalMs, clock, log } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 100) {
    throw new RangeError(`Cannot sample: 'intervalMs' must be at least 100, got ${intervalMs}`);
  }
  const stats: SamplingStats = { samples: 0, failures: 0, skipped: 0 };
  let failing = false;

  return {
    /** Runs until `signal` aborts; resolves after the sample in hand finishes. */
    async run(signal: AbortSignal): Promise<void> {
      const start = clock.now();
      let tick = 0;
      while (!signal.aborted) {
        const due = start + tick * intervalMs;
        try {
          await sample(due);
          stats.samples++;
          if (failing) log.info("sampling recovered", { after_failures: stats.failures });
          failing = false;
        } catch (error) {
          stats.failures++;
          if (!failing) log.error("sample failed", { error: (error as Error).message });
          failing = true;
        }
        const next = Math.max(tick + 1, Math.floor((clock.now() - start) / intervalMs) + 1);
        if (next > tick + 1) {
          stats.skipped += next - tick - 1;
          log.warn("sample ran past the next tick, skipping", { skipped: next - tick - 1 });
        }
        tick = next;
        try {
          await clock.sleep(start + tick * intervalMs - clock.now(), signal);
        } catch {
          break;
        }
      }
    },
    stats: (): SamplingStats => ({ ...stats }),
  };
}
