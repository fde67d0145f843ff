import type { Logger } from "../log.ts";
import { EXIT, forcedExitCode } from "./exit_codes.ts";
import { explainError, type Settings } from "./explain_error.ts";

/** A long-running part of the system, as `runUntilSignal()` runs it. */
export interface Service {
  /** Stops cleanly: finishes the work in hand, closes everything it opened. */
  stop(): Promise<void>;
  /** Settles when the service ends by itself (rejects when it failed); omit if only `stop()` ends it. */
  done?: Promise<void>;
}

/** What `runUntilSignal()` needs of the process; `Deno` itself by default. */
export interface SignalProcess {
  addSignalListener(signal: Deno.Signal, listener: () => void): void;
  removeSignalListener(signal: Deno.Signal, listener: () => void): void;
  exit(code: number): void;
}

let running = 0;

/** True while a `runUntilSignal()` handles this process's signals (`runCommand()` asks). */
export function handlingSignals(): boolean {
  return running > 0;
}

export interface RunUntilSignalOptions {
  log: Logger;
  /** The command's parsed settings, so a failure names the variable at fault (`PORT`, `DATA_DIR`). */
  settings?: Settings;
  /** Default SIGINT and SIGTERM. */
  signals?: Deno.Signal[];
  process?: SignalProcess;
  /** Milliseconds on a monotonic clock; default `performance.now()`. */
  now?: () => number;
}

/**
 * Signals this close to the first are one Ctrl-C: a terminal signals the
 * whole process group and `deno task` forwards it as well, so one key press
 * can arrive two or three times within a few milliseconds. No person presses
 * three times that fast.
 */
export const ONE_KEYPRESS_MS = 100;

/**
 * The one way long-running commands start, run and stop (`start`, `serve`,
 * `consumer`, `producer`):
 *
 * - `start(stop)` starts the command and gives its {@linkcode Service}, or
 *   runs it whole and gives its exit code (it then watches `stop` itself);
 * - the first SIGINT or SIGTERM starts one clean stop (`stop` aborts, then
 *   `service.stop()`); a signal during the start stops right after it;
 * - a second signal while stopping is ignored (`deno task` forwards the
 *   terminal's Ctrl-C a second time) and said so; a third quits at once
 *   with 128 + the signal's number (130, 143), saying it did not finish,
 *   unless it came within {@linkcode ONE_KEYPRESS_MS} of the first (the same
 *   key press, delivered once more);
 * - the signal listeners are removed only after the stop finished;
 * - a failure to start or a service that ends by itself is said in one line
 *   (`cannot start: PORT 8000 on 127.0.0.1 is in use: ...`).
 *
 * Gives the exit code: 0 stopped cleanly, 1 failed, 2 a setting the command
 * cannot use (see `exit_codes.ts`).
 */
export async function runUntilSignal(
  start: (stop: AbortSignal) => Promise<Service | number>,
  options: RunUntilSignalOptions,
): Promise<number> {
  const { log, settings = {} } = options;
  const process = options.process ?? Deno;
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const stopping = new AbortController();
  const now = options.now ?? (() => performance.now());
  let received = 0;
  let firstAt = 0;
  running++;
  const listeners = signals.map((signal) => {
    const listener = () => {
      received++;
      if (received === 1) {
        firstAt = now();
        log.info("stopping", { signal });
        stopping.abort(signal);
      } else if (received === 2) {
        log.warn(`${signal} again: still stopping cleanly; a third signal quits at once`);
      } else if (now() - firstAt < ONE_KEYPRESS_MS) {
        log.debug(`${signal} once more within ${ONE_KEYPRESS_MS} ms: the same key press`);
      } else {
        log.error(`${signal} a third time: quitting without finishing the stop`);
        process.exit(forcedExitCode(signal));
      }
    };
    process.addSignalListener(signal, listener);
    return { signal, listener };
  });
  const say = (what: string, error: unknown) => {
    const explained = explainError(error, settings);
    log.error(
      `${what}: ${explained?.message ?? (error instanceof Error ? error.message : String(error))}`,
    );
    if (!explained && error instanceof Error && error.stack) log.debug(error.stack);
    return explained?.exitCode ?? EXIT.failure;
  };
  try {
    let service: Service | number;
    try {
      service = await start(stopping.signal);
    } catch (error) {
      return say("cannot start", error);
    }
    if (typeof service === "number") return service;
    const aborted = new Promise<void>((resolve) => {
      if (stopping.signal.aborted) resolve();
      stopping.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    const ended = await Promise.race([
      aborted.then(() => null),
      (service.done ?? new Promise<never>(() => {})).then(
        () => new Error("it ended by itself"),
        (error: unknown) => error,
      ),
    ]);
    let code: number = EXIT.ok;
    if (ended !== null) code = say("failed", ended);
    try {
      await service.stop();
    } catch (error) {
      say("cannot stop cleanly", error);
      return EXIT.failure;
    }
    log.info("stopped");
    return code;
  } finally {
    for (const { signal, listener } of listeners) process.removeSignalListener(signal, listener);
    running--;
  }
}
