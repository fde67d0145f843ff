import process from "node:process";

/**
 * The one runtime warning every command hides: kafkajs 2.2.4's request queue
 * sets timers with negative delays, so Node's timers (and Deno's) print a
 * `TimeoutNegativeWarning` on each start of a Kafka client. The bug is open
 * upstream and harmless (the timer fires at once, as intended); the warning
 * would teach users to ignore warnings. Every other warning is printed.
 */
export const FILTERED_WARNINGS = ["TimeoutNegativeWarning"] as const;

let installed = false;

/** Drops the warnings named in {@linkcode FILTERED_WARNINGS}; idempotent. */
export function filterKnownWarnings(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning: string | Error, ...rest: unknown[]): void {
    if ((FILTERED_WARNINGS as readonly string[]).includes(warningName(warning, rest[0]))) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
}

/** `emitWarning(error)`, `emitWarning(message, type)` or `emitWarning(message, { type })`. */
function warningName(warning: string | Error, second: unknown): string {
  if (warning instanceof Error) return warning.name;
  if (typeof second === "string") return second;
  if (typeof second === "object" && second !== null && "type" in second) {
    return String((second as { type: unknown }).type);
  }
  return "Warning";
}
