import { dirname } from "node:path";
import { CommandError } from "../entry_point/command_error.ts";

/** A held lock on a store; see `lockStore()`. */
export interface StoreLock {
  /** The lock file, beside the store: `<store>.lock`. */
  path: string;
  /** Removes the lock file, if it is still this process's. */
  release(): Promise<void>;
}

/** What the lock file holds. */
interface LockContent {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is told apart. */
  process_start: string | null;
  since: string;
}

export interface LockStoreOptions {
  /** For tests: this process. */
  pid?: number;
  hostname?: string;
  /** The start time of a running process (Linux `/proc/<pid>/stat`), null when it is not running, undefined when it cannot be told. */
  processStart?: (pid: number) => Promise<string | null | undefined>;
  now?: () => number;
}

/**
 * Takes the lock file beside a store (`<kvPath>.lock`), so that a second
 * `deno task start` on the same data refuses to run instead of writing beside
 * the first. The lock names the holder's pid; a lock whose process is gone
 * (the holder was killed) is taken over. Throws a `CommandError` naming the
 * running holder.
 */
export async function lockStore(
  kvPath: string,
  options: LockStoreOptions = {},
): Promise<StoreLock> {
  const path = `${kvPath}.lock`;
  const pid = options.pid ?? Deno.pid;
  const hostname = options.hostname ?? Deno.hostname();
  const processStart = options.processStart ?? linuxProcessStart;
  const now = options.now ?? Date.now;
  const content: LockContent = {
    pid,
    host: hostname,
    process_start: (await processStart(pid)) ?? null,
    since: new Date(now()).toISOString(),
  };
  await Deno.mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, JSON.stringify(content) + "\n", { createNew: true });
      return { path, release: () => release(path, content) };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const holder = await readLock(path);
    if (holder && await stillHeld(holder, hostname, processStart)) {
      throw new CommandError(
        `${kvPath} is in use by pid ${holder.pid} on ${holder.host} (since ${holder.since}): stop that process first, or set DATA_DIR (or KV_PATH) to another store; remove ${path} if it is not running`,
      );
    }
    await Deno.remove(path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  throw new CommandError(
    `${kvPath} is being locked by another process at the same time: try again`,
  );
}

async function stillHeld(
  holder: LockContent,
  hostname: string,
  processStart: (pid: number) => Promise<string | null | undefined>,
): Promise<boolean> {
  if (holder.host !== hostname) return true; // another machine's process: cannot tell, so held
  const start = await processStart(holder.pid);
  if (start === null) return false; // gone
  if (start === undefined || holder.process_start === null) return true;
  return start === holder.process_start; // else the pid was reused by another process
}

/** The lock file's content; null when it is damaged (a crash while writing it), which counts as stale. */
async function readLock(path: string): Promise<LockContent | null> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    return typeof value?.pid === "number" ? value as LockContent : null;
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function release(path: string, mine: LockContent): Promise<void> {
  const holder = await readLock(path);
  if (holder?.pid !== mine.pid || holder.process_start !== mine.process_start) return;
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * Field 22 of `/proc/<pid>/stat`: when the process started. Null when there
 * is no such process; undefined where `/proc` cannot be read (not Linux, or
 * not permitted), so the lock is kept rather than guessed stale.
 */
async function linuxProcessStart(pid: number): Promise<string | null | undefined> {
  const startOf = async (which: string) => {
    try {
      const stat = await Deno.readTextFile(`/proc/${which}/stat`);
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      if (
        error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ) {
        return undefined;
      }
      throw error;
    }
  };
  const start = await startOf(String(pid));
  if (start !== null) return start;
  return (await startOf("self")) === null ? undefined : null; // no /proc at all: cannot tell
}
