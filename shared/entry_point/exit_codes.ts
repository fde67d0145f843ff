/**
 * Exit codes of every command (the README's "Exit codes" section):
 *
 * - 0: done, or stopped cleanly by SIGINT / SIGTERM;
 * - 1: failed while running, or could not start (a port in use, a broker or
 *   S3 that does not answer, a store locked by another process);
 * - 2: the command line or the configuration is wrong (a bad flag or
 *   variable, a path outside the permissions given): nothing was done;
 * - 128 + the signal (130 for SIGINT, 143 for SIGTERM): forced to quit by a
 *   third signal before the clean stop finished.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = { SIGINT: 2, SIGTERM: 15 };

/** The exit code of a forced stop: 128 + the signal's number, as a shell reports it. */
export function forcedExitCode(signal: Deno.Signal): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}
