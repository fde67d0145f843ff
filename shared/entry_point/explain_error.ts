import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../config/parse_env.ts";
import { CommandError } from "./command_error.ts";
import { EXIT } from "./exit_codes.ts";

/** A failure said in one line, and the exit code it stops the command with. */
export interface Explained {
  message: string;
  exitCode: number;
}

/** A command's parsed settings (`PORT`, `DATA_DIR`, ...): what a failure is said in terms of. */
export type Settings = Record<string, unknown>;

/**
 * Says a failure a user can act on in one line, naming the variable at
 * fault: a {@linkcode CommandError} (a port in use, S3 that does not answer:
 * their message says it already), a configuration error, a path outside the
 * permissions Deno was given or the file system allows (`DATA_DIR`,
 * `KV_PATH`, ...). Gives null for anything else: an unexpected error, whose
 * stack trace is worth seeing.
 */
export function explainError(
  error: unknown,
  settings: Settings = {},
  cwd: string = Deno.cwd(),
): Explained | null {
  if (error instanceof CommandError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof Deno.errors.NotCapable) return notCapable(error, settings, cwd);
  if (error instanceof Deno.errors.PermissionDenied) return permissionDenied(error, settings, cwd);
  if (error instanceof Error && error.cause !== undefined && error.cause !== error) {
    return explainError(error.cause, settings, cwd);
  }
  return null;
}

/** Deno's own permissions: `Requires write access to "/srv/sw", run again with the --allow-write flag`. */
function notCapable(error: Error, settings: Settings, cwd: string): Explained {
  const [, kind, target] = /Requires (\w+) access to "([^"]*)"/.exec(error.message) ?? [];
  if (kind === undefined || target === undefined) {
    return { message: `not permitted: ${error.message}`, exitCode: EXIT.usage };
  }
  const flag = `--allow-${kind}`;
  const setting = settingForPath(target, settings, cwd);
  if (setting) {
    return {
      message:
        `${setting.name} is '${setting.value}', where this command may not ${kind}: use a path it may ${kind} (./data for the tasks that limit it), or add ${flag}=${setting.value} to its deno run command (README: Permissions)`,
      exitCode: EXIT.usage,
    };
  }
  return {
    message:
      `this command may not ${kind} ${target}: add ${flag}=${target} to its deno run command (README: Permissions)`,
    exitCode: EXIT.usage,
  };
}

/** The file system's permissions: `Permission denied (os error 13): mkdir '/root/sw'`. */
function permissionDenied(error: Error, settings: Settings, cwd: string): Explained {
  const target = /'([^']+)'\s*$/.exec(error.message)?.[1];
  const setting = target === undefined ? null : settingForPath(target, settings, cwd);
  return {
    message: setting
      ? `${setting.name} is '${setting.value}', which this user may not use (${error.message}): choose a folder it owns, or give it access`
      : `permission denied: ${error.message}`,
    exitCode: EXIT.usage,
  };
}

/** The setting whose path holds `target` (the longest, so `KV_PATH` wins over `DATA_DIR`). */
function settingForPath(
  target: string,
  settings: Settings,
  cwd: string,
): { name: string; value: string } | null {
  const absolute = (path: string) => (isAbsolute(path) ? resolve(path) : resolve(cwd, path));
  const wanted = absolute(target);
  let best: { name: string; value: string; length: number } | null = null;
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== "string" || value === "" || /^[a-z]+:\/\//.test(value)) continue;
    const path = absolute(value);
    if (path === "/") continue; // SENSORS_ROOT=/ holds every path but is never the one at fault
    const holds = wanted === path || wanted.startsWith(path.endsWith("/") ? path : `${path}/`);
    if (holds && path.length > (best?.length ?? -1)) best = { name, value, length: path.length };
  }
  return best && { name: best.name, value: best.value };
}
