import { explainError } from "./explain_error.ts";
import { EXIT, forcedExitCode } from "./exit_codes.ts";
import { filterKnownWarnings } from "./filter_warnings.ts";
import { handlingSignals } from "./run_until_signal.ts";

export interface RunCommandOptions {
  /** Where the one-line failure goes; stderr by default. */
  printError?: (line: string) => void;
  /** Default `Deno.exit`. */
  exit?: (code: number) => void;
  /** The signals guarded (see below). Default SIGINT and SIGTERM. */
  signals?: Deno.Signal[];
}

/**
 * Every entry point's last line: `if (import.meta.main) await runCommand(() => main(Deno.args))`.
 *
 * Hides kafkajs's known warning (`filter_warnings.ts`), runs `main` and exits
 * with the code it gives. A failure `main` throws is said in one line when it
 * is one a user can act on (`CommandError`, a bad setting, a path outside the
 * permissions: see `explainError()`), exit 1 or 2; anything else is a bug,
 * printed with its stack trace, exit 1.
 *
 * Signals: while `runUntilSignal()` runs, it handles them; before and after,
 * SIGINT / SIGTERM quit at once with 130 / 143 as by default (Ctrl-C ends
 * `deno task train`), except once `main` has finished: a signal that comes
 * while the process exits after a clean stop (`deno task` forwarding Ctrl-C
 * late) is ignored, so a clean stop always exits with its own code.
 */
export async function runCommand(
  main: () => Promise<number>,
  options: RunCommandOptions = {},
): Promise<void> {
  const printError = options.printError ?? ((line: string) => console.error(line));
  const exit = options.exit ?? Deno.exit;
  filterKnownWarnings();
  let finished = false;
  const guards = (options.signals ?? ["SIGINT", "SIGTERM"]).map((signal) => {
    const guard = () => {
      if (!finished && !handlingSignals()) exit(forcedExitCode(signal));
    };
    Deno.addSignalListener(signal, guard);
    return { signal, guard };
  });
  let code: number;
  try {
    code = await main();
  } catch (error) {
    const explained = explainError(error);
    if (explained) {
      printError(`error: ${explained.message}`);
      code = explained.exitCode;
    } else {
      printError(`error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      code = EXIT.failure;
    }
  }
  finished = true;
  try {
    exit(code);
  } finally {
    // Reached only when `exit` returns (tests): leave the process as it was.
    for (const { signal, guard } of guards) Deno.removeSignalListener(signal, guard);
  }
}
