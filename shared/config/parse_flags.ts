import { parseArgs } from "node:util";
import type { z } from "zod";
import { ConfigError, parseEnv } from "./parse_env.ts";

/** One command-line flag: how it is parsed and what `--help` says of it. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** One line for `--help`. */
  help: string;
  /** The value's name in `--help`: `--out <dir>`. Default `value`. */
  value?: string;
  short?: string;
  /** May be given more than once; the values come as a list. */
  multiple?: boolean;
  default?: string | boolean | string[];
  /**
   * The environment variable this flag stands for: the flag's value wins over
   * the variable's and is checked as the variable is (a problem names the
   * flag); `--help` shows the variable's default.
   */
  env?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** What `parseCommandLine()` needs to know of a command, and what `--help` prints. */
export interface Command<F extends FlagSpecs = FlagSpecs, E extends z.ZodObject = z.ZodObject> {
  /** How it is run: `deno task producer`. */
  name: string;
  /** What follows the name in the usage line. Default `[options]`. */
  synopsis?: string;
  /** What it does, a short paragraph. */
  about: string;
  /** Its flags; `--help` is added. */
  flags: F;
  /** The environment variables it reads: its composed config schema. */
  env: E;
  /** Text for the end of `--help` (examples, notes). */
  more?: string;
}

type ValueOf<S extends FlagSpec> = S["type"] extends "boolean" ? boolean : string;
type FlagValue<S extends FlagSpec> = S["multiple"] extends true ? ValueOf<S>[] : ValueOf<S>;

/** The values of a command's flags: a flag without a default may be `undefined`. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]: F[K] extends { default: unknown } ? FlagValue<F[K]>
    : FlagValue<F[K]> | undefined;
};

export interface CommandLine<F extends FlagSpecs, E extends z.ZodObject> {
  flags: FlagValues<F>;
  /** The environment, parsed by the command's schema, with the flags that stand for variables. */
  config: z.output<E>;
}

export interface FlagOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const CONSOLE: FlagOutput = { out: console.log, err: console.error };

/** Declares a command, keeping its flags' literal types for `parseCommandLine()`. */
export function defineCommand<const F extends FlagSpecs, E extends z.ZodObject>(
  command: Command<F, E>,
): Command<F, E> {
  return command;
}

/**
 * The one way commands read their command line and environment: parses
 * `args` strictly against the command's flags, puts the flags that stand for
 * variables over `env` and parses that with the command's schema. Gives the
 * flags and the config, or the exit code to stop with: 0 after printing the
 * help for `--help` / `-h`, 2 after naming every unknown or bad flag and
 * variable.
 */
export function parseCommandLine<F extends FlagSpecs, E extends z.ZodObject>(
  command: Command<F, E>,
  args: readonly string[],
  env: Record<string, string | undefined>,
  output: FlagOutput = CONSOLE,
): CommandLine<F, E> | number {
  let flags: Record<string, unknown>;
  try {
    flags = parseArgs({ args: [...args], options: optionsOf(command.flags), strict: true })
      .values;
  } catch (error) {
    const problem = (error as Error).message.replace(/\. To specify.*$/s, "");
    output.err(`${new ConfigError([problem]).message}\n${hint(command)}`);
    return 2;
  }
  if (flags.help) {
    output.out(helpOf(command));
    return 0;
  }
  const overlay: Record<string, string | undefined> = { ...env };
  const given = new Map<string, string>(); // variable -> the flag given for it
  for (const [name, spec] of Object.entries(command.flags)) {
    if (spec.env === undefined || flags[name] === undefined) continue;
    overlay[spec.env] = String(flags[name]);
    given.set(spec.env, name);
  }
  try {
    return { flags: flags as FlagValues<F>, config: parseEnv(command.env, overlay) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((problem) => {
      const variable = problem.slice(0, problem.indexOf(" "));
      const flag = given.get(variable);
      return flag === undefined ? problem : `--${flag}${problem.slice(variable.length)}`;
    });
    output.err(`${new ConfigError(problems).message}\n${hint(command)}`);
    return 2;
  }
}

/** The `--help` text: usage, what it does, every flag, every variable. */
export function helpOf(command: Command): string {
  const flags = { ...command.flags, help: HELP };
  const rows = Object.entries(flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : "";
    const value = spec.type === "string" ? ` <${spec.value ?? "value"}>` : "";
    const shown = spec.env !== undefined
      ? defaultOf(command.env.shape[spec.env] as z.ZodType | undefined)
      : spec.type === "boolean"
      ? undefined // a switch is off unless given
      : spec.default;
    const notes = [
      spec.env,
      shown === undefined || String(shown) === "" ? undefined : `default ${String(shown)}`,
    ].filter(Boolean).join(", ");
    return [`${short}--${name}${value}`, `${spec.help}${notes ? ` (${notes})` : ""}`];
  });
  const width = Math.max(...rows.map(([left]) => left!.length)) + 2;
  const variables = Object.keys(command.env.shape);
  return [
    `Usage: ${command.name} ${command.synopsis ?? "[options]"}`,
    "",
    command.about,
    "",
    "Options:",
    ...rows.map(([left, right]) => `  ${left!.padEnd(width)}${right}`),
    ...(variables.length > 0
      ? ["", wrap(`Environment: ${variables.join(" ")} (see the README's configuration table)`)]
      : []),
    ...(command.more ? ["", command.more] : []),
  ].join("\n");
}

/**
 * Collects every problem with flag values that the schema does not check,
 * so one run names them all.
 *
 * @example
 * ```ts
 * const check = createFlagCheck(COMMAND);
 * const hours = check.number("hours", flags.hours, (n) => n > 0);
 * if (check.report()) return 2;
 * ```
 */
export function createFlagCheck(command: Pick<Command, "name">, output: FlagOutput = CONSOLE) {
  const problems: string[] = [];
  return {
    problems,
    /**
     * A number flag; `undefined` is a problem ("is required") unless
     * `optional`. `must` says what a valid one is: "a whole number from 0 to 1000".
     */
    number(
      name: string,
      value: string | undefined,
      valid: (n: number) => boolean,
      options: { optional?: boolean; must?: string } = {},
    ): number {
      if (value === undefined) {
        if (!options.optional) problems.push(`--${name} is required`);
        return NaN;
      }
      const n = Number(value);
      if (value.trim() === "" || !valid(n)) {
        problems.push(
          `--${name} '${value}' is not valid${options.must ? `: must be ${options.must}` : ""}`,
        );
      }
      return n;
    },
    /** Records a problem when `ok` is false. */
    expect(ok: boolean, problem: string): void {
      if (!ok) problems.push(problem);
    },
    /** Prints the problems; true when there were any (exit with 2). */
    report(): boolean {
      if (problems.length === 0) return false;
      output.err(`${new ConfigError(problems).message}\n${hint(command)}`);
      return true;
    },
  };
}

const HELP: FlagSpec = { type: "boolean", short: "h", help: "show this help" };

function optionsOf(flags: FlagSpecs) {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean; default?: never }
  > = {};
  for (const [name, spec] of Object.entries({ ...flags, help: HELP })) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
      ...(spec.default !== undefined ? { default: spec.default as never } : {}),
    };
  }
  return options;
}

const hint = (command: Pick<Command, "name">) => `Run ${command.name} --help for the options.`;

/** The default a variable's schema gives, for `--help`; undefined when it has none. */
function defaultOf(schema: z.ZodType | undefined): unknown {
  const def = schema?._zod.def as { type?: string; defaultValue?: unknown } | undefined;
  if (def?.type !== "default") return undefined;
  const value = def.defaultValue;
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "object" && value !== null) return undefined;
  return value;
}

function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n");
}
