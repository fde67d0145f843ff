import { z } from "zod";

/** Thrown when environment variables are missing or wrong; the message names each one. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Variables whose values are never repeated in an error: tokens, passwords, secrets. */
const SECRET = /TOKEN|PASSWORD|SECRET/;

/**
 * Parses environment variables with a zod object schema whose keys are the
 * variable names. Only entry points call this, once. Empty strings count as
 * unset, so `X=` falls back to the default instead of hiding a mistake. An
 * error names each bad variable with its value, except for secrets
 * (`*TOKEN*`, `*PASSWORD*`, `*SECRET*`), whose value stays out of logs.
 */
export function parseEnv<T extends z.ZodObject>(
  schema: T,
  env: Record<string, string | undefined>,
): z.output<T> {
  const values = Object.fromEntries(
    Object.keys(schema.shape).map((name) => [name, env[name] === "" ? undefined : env[name]]),
  );
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "");
    const value = values[name];
    const shown = value === undefined
      ? "is not set"
      : SECRET.test(name)
      ? "is set (value not shown)"
      : `is '${value}'`;
    return `${name} ${shown}: ${issue.message}`;
  }));
}

/**
 * For entry points: the parsed configuration, or `null` after reporting every
 * bad variable (the caller then exits with code 2).
 */
export function parseEnvOrReport<T extends z.ZodObject>(
  schema: T,
  env: Record<string, string | undefined>,
  report: (message: string) => void = console.error,
): z.output<T> | null {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report(error.message);
    return null;
  }
}

/** A whole number from an environment string, within bounds. */
export const envInt = (min: number, max: number) =>
  z.coerce.number({ error: "must be a number" }).int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

/** A number from an environment string, within bounds. */
export const envNumber = (min: number, max: number) =>
  z.coerce.number({ error: "must be a number" })
    .min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A duration from an environment string, in ms: `90s`, `5m`, `2h`, `1d`,
 * `500ms`, or a plain number of seconds; within bounds (ms).
 */
export const envDuration = (minMs: number, maxMs: number) =>
  z.string().transform((text, ctx) => {
    const match = text.trim().match(DURATION);
    if (!match) {
      ctx.addIssue({
        code: "custom",
        message: "must be a duration like 90s, 5m or 2h (a plain number is seconds)",
      });
      return z.NEVER;
    }
    const ms = Number(match[1]) * UNIT_MS[match[2] ?? "s"]!;
    if (ms < minMs || ms > maxMs) {
      ctx.addIssue({
        code: "custom",
        message: `must be from ${describeMs(minMs)} to ${describeMs(maxMs)}`,
      });
      return z.NEVER;
    }
    return ms;
  });

function describeMs(ms: number): string {
  for (
    const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const
  ) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `name=value,name=value` pairs of numbers, e.g. per-device hot limits. */
export const envNumberMap = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const map: Record<string, number> = {};
    for (const pair of text.split(",").map((p) => p.trim()).filter(Boolean)) {
      const [name, raw] = pair.split("=");
      const value = Number(raw);
      if (!name || raw === undefined || !Number.isFinite(value) || value < min || value > max) {
        ctx.addIssue({
          code: "custom",
          message: `'${pair}' must be name=number with the number from ${min} to ${max}`,
        });
        return z.NEVER;
      }
      map[name.trim()] = value;
    }
    return map;
  });

/**
 * Checks that two variables are set together or not at all (a user name and
 * its password), naming the one that is missing. For a piece's `superRefine`.
 */
export function bothOrNeither(first: string, second: string, why = "") {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if ((env[first] === undefined) === (env[second] === undefined)) return;
    ctx.addIssue({
      code: "custom",
      path: [env[first] === undefined ? first : second],
      message: `${first} and ${second} go together${why ? ` ${why}` : ""}`,
    });
  };
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends
  (i: infer I) => void ? I : never;
type MergedShape<P extends readonly z.ZodObject[]> = UnionToIntersection<P[number]["shape"]> extends
  infer S extends z.ZodRawShape ? { [K in keyof S]: S[K] } : never;

/**
 * One environment schema from config pieces (`HttpEnv`, `StoreEnv`, ...):
 * the variables of every piece, and every piece's own checks (`superRefine`),
 * which spreading `.shape` would lose. An entry point composes its schema so
 * that a variable, its checks and its default are written once.
 *
 * @example
 * ```ts
 * const ServeEnv = composeEnv(HttpEnv, StoreEnv, LogEnv);
 * ```
 */
export function composeEnv<const P extends readonly z.ZodObject[]>(
  ...pieces: P
): z.ZodObject<MergedShape<P>> {
  const shape = {} as Record<string, z.ZodType>;
  for (const piece of pieces) {
    for (const [name, schema] of Object.entries(piece.shape)) {
      if (name in shape) {
        throw new TypeError(`Cannot compose config pieces: ${name} is in two of them`);
      }
      shape[name] = schema as z.ZodType;
    }
  }
  // A piece's checks look only at its own variables, so they hold on the whole object too.
  const checks = pieces.flatMap((piece) => piece._zod.def.checks ?? []) as z.core.$ZodCheck<
    Record<string, unknown>
  >[];
  const schema = z.object(shape);
  return (checks.length > 0 ? schema.check(...checks) : schema) as unknown as z.ZodObject<
    MergedShape<P>
  >;
}

/** Reads the whole environment, for entry points (needs --allow-env). */
export function processEnv(): Record<string, string> {
  return Deno.env.toObject();
}
