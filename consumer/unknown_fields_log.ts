import type { Logger } from "../shared/log.ts";
import { type Reading, schemaFor } from "../shared/reading/mod.ts";

export interface UnknownFieldLog {
  /** Logs each field of `reading.extra` the first time its device sends it. */
  note(reading: Reading): void;
}

/**
 * Says once per device and field name that a reading carried a field its
 * profile does not know (kept under `extra`, see the reading contract),
 * with the known field it most likely meant: one line for a misspelt
 * producer, not one per reading. Remembers at most `maxTracked` pairs.
 */
export function createUnknownFieldLog(
  log: Logger,
  options: { maxTracked?: number } = {},
): UnknownFieldLog {
  const maxTracked = options.maxTracked ?? 10_000;
  const seen = new Set<string>();
  let full = false;
  return {
    note(reading) {
      for (const field of Object.keys(reading.extra ?? {})) {
        const key = `${reading.device}\u0000${field}`;
        if (seen.has(key)) continue;
        if (seen.size >= maxTracked) {
          if (!full) {
            log.warn("too many unknown fields to name each once; more are kept without a line");
          }
          full = true;
          return;
        }
        seen.add(key);
        log.warn("unknown field kept under extra", {
          device: reading.device,
          field,
          profile: reading.profile,
          did_you_mean: closestField(field, Object.keys(schemaFor(reading.profile).shape)),
        });
      }
    },
  };
}

/** The known field within two edits of `field` (ignoring case), if one is. */
function closestField(field: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(field.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && distance < (best?.distance ?? Infinity)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
