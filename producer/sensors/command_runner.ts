import { join } from "./sysfs.ts";

/** The outcome of running one command. */
export type CommandResult =
  | { ok: true; stdout: string }
  | { ok: false; reason: "missing" | "failed"; message: string };

/** Runs `command args...` and gives its trimmed stdout; never throws. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

export interface CommandRunnerOptions {
  /**
   * The machine's root: commands are looked up in its `usr/bin`, `bin`,
   * `usr/local/bin` and `opt/vc/bin` (where old Raspberry Pi OS keeps
   * `vcgencmd`). Only when it is `/` is `PATH` searched too, so a fixture
   * tree never runs the host's own tools.
   */
  root: string;
  /** A command still running after this long is killed and counts as failed. Default 2000. */
  timeoutMs?: number;
}

const BIN_DIRS = ["/usr/bin", "/bin", "/usr/local/bin", "/opt/vc/bin"];

/**
 * The real command runner (`vcgencmd` on a Pi). It finds each command once,
 * then runs it with a time limit; a missing command, a non-zero exit or a
 * hang come back as `{ok: false}` with a message saying which.
 */
export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 10) {
    throw new RangeError(
      `Cannot run commands: 'timeoutMs' must be at least 10, got ${timeoutMs}`,
    );
  }
  const found = new Map<string, Promise<string | null>>();

  const locate = async (command: string): Promise<string | null> => {
    for (const dir of BIN_DIRS) {
      const path = join(options.root, `${dir}/${command}`);
      try {
        const info = await Deno.stat(path);
        if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return path;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    return options.root.replace(/\/+$/, "") === "" ? command : null;
  };

  return async (command, args) => {
    if (!found.has(command)) found.set(command, locate(command));
    const path = await found.get(command)!;
    const shown = [command, ...args].join(" ");
    if (path === null) {
      return {
        ok: false,
        reason: "missing",
        message: `${command} not found under ${options.root}`,
      };
    }
    try {
      const output = await new Deno.Command(path, {
        args: [...args],
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
        signal: AbortSignal.timeout(timeoutMs),
      }).output();
      const stdout = new TextDecoder().decode(output.stdout).trim();
      if (output.success) return { ok: true, stdout };
      const stderr = new TextDecoder().decode(output.stderr).trim();
      return {
        ok: false,
        reason: "failed",
        message: output.signal
          ? `${shown} did not answer within ${timeoutMs} ms`
          : `${shown} exited with ${output.code}: ${stderr || stdout || "no output"}`,
      };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { ok: false, reason: "missing", message: `${command} is not installed` };
      }
      return { ok: false, reason: "failed", message: `${shown}: ${(error as Error).message}` };
    }
  };
}
