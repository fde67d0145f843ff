/** Commits a method tries before it gives up on a race with another writer. */
export const MAX_COMMIT_ATTEMPTS = 20;
/** Deno KV's getMany() takes at most 10 keys. */
const GET_MANY = 10;

/** getMany() for any number of keys, 10 at a time, in parallel. */
export async function getManyInSlices<T>(
  kv: Deno.Kv,
  keys: Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  if (keys.length === 0) return [];
  const slices: Deno.KvKey[][] = [];
  for (let i = 0; i < keys.length; i += GET_MANY) slices.push(keys.slice(i, i + GET_MANY));
  return (await Promise.all(slices.map((slice) => kv.getMany<T[]>(slice)))).flat();
}

/**
 * Commits, treating SQLite's "database is locked" (another process or handle
 * is writing the same file) like a lost check: the caller re-reads and retries
 * after a short random pause.
 */
export async function commitUnlessLocked(op: Deno.AtomicOperation): Promise<{ ok: boolean }> {
  try {
    const result = await op.commit();
    if (!result.ok) await pause();
    return result;
  } catch (error) {
    if (!isLocked(error)) throw error;
    await pause();
    return { ok: false };
  }
}

/** Runs a write, retrying it while another writer holds the database lock. */
export async function retryWhileLocked<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isLocked(error) || attempt === MAX_COMMIT_ATTEMPTS) throw error;
      await pause();
    }
  }
}

const isLocked = (error: unknown) =>
  error instanceof Error && /database is locked|busy/i.test(error.message);

const pause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
