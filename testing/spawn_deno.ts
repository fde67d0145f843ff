import { readLines } from "./read_lines.ts";
import { waitUntil } from "./wait_until.ts";

const ROOT = new URL("..", import.meta.url).pathname;

export interface SpawnDenoOptions {
  /** The child's variables, over `NO_COLOR=1` (and over this process's unless `clearEnv`). */
  env?: Record<string, string>;
  /** Give the child only `env` (and `NO_COLOR`): pass what it needs, such as Deno's cache. */
  clearEnv?: boolean;
  /** Start it through `setsid`, leading a process group of its own, to signal the group as a terminal does. */
  setsid?: boolean;
  /**
   * Where stdout's lines go: their own list `stdout` (the default), into
   * `lines` with stderr's, or nowhere.
   */
  stdout?: "separate" | "merged" | "ignored";
}

/** A child `deno` whose output is collected in lines. */
export interface DenoChild extends AsyncDisposable {
  readonly pid: number;
  /** stderr's lines so far (and stdout's when `merged`). */
  readonly lines: string[];
  /** stdout's lines so far, when `separate`. */
  readonly stdout: string[];
  kill(signal: Deno.Signal): void;
  /** Waits for a line of `lines` that matches; fails after `timeoutMs` (default 60 s), listing them. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number }): Promise<void>;
  /** The exit code, once its output is drained. */
  exited(): Promise<number>;
}

/**
 * Runs `deno <args>` in the repository's root as a user would, for tests of
 * entry points and tasks. Disposing of it SIGKILLs it if it still runs and
 * waits for its end.
 *
 * @example
 * ```ts
 * await using serve = spawnDeno(["task", "serve"], { env: { PORT: "0" } });
 * await serve.waitFor(/listening/);
 * serve.kill("SIGTERM");
 * assert.equal(await serve.exited(), 0);
 * ```
 */
export function spawnDeno(args: string[], options: SpawnDenoOptions = {}): DenoChild {
  const stdoutTo = options.stdout ?? "separate";
  const child = new Deno.Command(options.setsid ? "setsid" : Deno.execPath(), {
    args: options.setsid ? [Deno.execPath(), ...args] : args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...options.env },
    clearEnv: options.clearEnv ?? false,
    stdin: "null",
    stdout: stdoutTo === "ignored" ? "null" : "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const stdout: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>, into: string[]) => {
    for await (const line of readLines(stream)) into.push(line);
  };
  const reading = Promise.all([
    collect(child.stderr, lines),
    stdoutTo === "ignored" ? null : collect(child.stdout, stdoutTo === "merged" ? lines : stdout),
  ]);
  const exited = async () => {
    const { code } = await child.status;
    await reading;
    return code;
  };
  return {
    pid: child.pid,
    lines,
    stdout,
    kill: (signal) => child.kill(signal),
    async waitFor(pattern, waitOptions = {}) {
      try {
        await waitUntil(() => lines.some((line) => pattern.test(line)), {
          what: String(pattern),
          timeoutMs: waitOptions.timeoutMs ?? 60_000,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}; its lines:\n${lines.join("\n")}`, {
          cause: error,
        });
      }
    },
    exited,
    [Symbol.asyncDispose]: async () => {
      try {
        child.kill("SIGKILL");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already gone, as it should be
      }
      await exited();
    },
  };
}
