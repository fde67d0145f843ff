import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

type Values<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true }>
>["values"];

export interface FlagOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const CONSOLE: FlagOutput = { out: console.log, err: console.error };

/**
 * For command-line entry points: parses `args` strictly against `options`
 * (which should include a boolean `help`). Gives the flag values, or the
 * exit code to stop with: 0 after printing the usage for `--help`, 2 after
 * printing an unknown or malformed flag with the usage.
 */
export function parseFlags<T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
  output: FlagOutput = CONSOLE,
): Values<T> | number {
  let values: Values<T>;
  try {
    values = parseArgs({ args, options, strict: true }).values;
  } catch (error) {
    output.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if ((values as { help?: boolean }).help) {
    output.out(usage);
    return 0;
  }
  return values;
}

/**
 * Collects every problem with flag values, so one run names them all.
 *
 * @example
 * ```ts
 * const check = createFlagCheck();
 * const hours = check.number("hours", flags.hours, (n) => n > 0);
 * if (check.report(USAGE)) return 2;
 * ```
 */
export function createFlagCheck(output: FlagOutput = CONSOLE) {
  const problems: string[] = [];
  return {
    problems,
    /** A number flag; `undefined` is a problem ("is required") unless `optional`. */
    number(
      name: string,
      value: string | undefined,
      valid: (n: number) => boolean,
      options: { optional?: boolean } = {},
    ): number {
      if (value === undefined) {
        if (!options.optional) problems.push(`--${name} is required`);
        return NaN;
      }
      const n = Number(value);
      if (value.trim() === "" || !valid(n)) problems.push(`--${name} '${value}' is not valid`);
      return n;
    },
    /** Records a problem when `ok` is false. */
    expect(ok: boolean, problem: string): void {
      if (!ok) problems.push(problem);
    },
    /** Prints the problems with the usage; true when there were any (exit with 2). */
    report(usage: string): boolean {
      if (problems.length === 0) return false;
      output.err(`${problems.join("\n")}\n\n${usage}`);
      return true;
    },
  };
}
