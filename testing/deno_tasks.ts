/** A `deno.json` task: a command line, or a list of tasks it depends on. */
export type DenoTask = string | { command?: string; dependencies?: string[]; description?: string };

export interface DenoJson {
  tasks: Record<string, DenoTask>;
}

/** The repository's `deno.json`. */
export async function readDenoJson(root: URL = new URL("../", import.meta.url)): Promise<DenoJson> {
  return JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
}

/** A task's command line, or null for a task that only runs other tasks. */
export function taskCommand(denoJson: DenoJson, name: string): string | null {
  const task = denoJson.tasks[name];
  if (task === undefined) throw new Error(`deno.json has no task '${name}'`);
  return typeof task === "string" ? task : task.command ?? null;
}

/**
 * A task's command with `$NAME` and `${NAME}` replaced from `env`, as `deno
 * task`'s shell does before it runs it (`$HOME/.aws` -> `/home/me/.aws`); a
 * variable `env` lacks becomes empty, as in the shell.
 */
export function expandTaskVariables(
  command: string,
  env: Record<string, string | undefined>,
): string {
  return command.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced, bare) => env[braced ?? bare] ?? "");
}

/**
 * The `deno run` part of a task's command (`deno run <flags> <file> [args]`),
 * up to the first `&&`, or null when the task does not run a file with
 * `deno run`.
 */
export function denoRunLine(command: string): string | null {
  const first = command.split("&&")[0]!.trim();
  return /^deno run\s/.test(first) ? first : null;
}

/** The file a `deno run` line runs: its first argument ending in `.ts`. */
export function entryFileOf(runLine: string): string | null {
  return runLine.split(/\s+/).find((word) => /^[\w./-]+\.ts$/.test(word)) ?? null;
}

/** Task name -> the file it runs with `deno run`, for every task that runs one. */
export function taskEntryFiles(denoJson: DenoJson): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of Object.keys(denoJson.tasks)) {
    const command = taskCommand(denoJson, name);
    const line = command === null ? null : denoRunLine(command);
    const file = line === null ? null : entryFileOf(line);
    if (file !== null) files.set(name, file);
  }
  return files;
}
