import type { Store } from "./store.ts";
import { createKvReadingMethods } from "./_kv_readings.ts";
import { createKvDeviceMethods } from "./_kv_devices.ts";
import { createKvAlertMethods } from "./_kv_alerts.ts";
import { createKvFeedbackMethods } from "./_kv_feedback.ts";
import { createKvChatMethods } from "./_kv_chats.ts";

export interface KvStoreOptions {
  /** An open Deno KV database; the store closes it on `close()`. */
  kv: Deno.Kv;
}

/**
 * The embedded Store: a Deno KV database (a file under `./data` by default).
 *
 * A reading and its prediction live under one key, `[readings, device,
 * time, uuid]`. Every commit that stores readings also rewrites their
 * devices' summaries and checks that each summary is the one it read, so a
 * reading delivered twice, or written by two consumers at once, is stored
 * and counted once: readings newer than the summary's `last_seen` are new
 * for sure, older ones are looked up first. One check per device (not per
 * reading) lets one commit hold up to 100 devices, which is what batches
 * mixing many devices need. The latest status is the newest reading key.
 *
 * Each area of the port has its own file: readings (`_kv_readings.ts`),
 * devices (`_kv_devices.ts`), alerts and their outbox (`_kv_alerts.ts`),
 * feedback and dead letters (`_kv_feedback.ts`), chats and subscriptions
 * (`_kv_chats.ts`), all on the same key layout (`_kv_keys.ts`), commits
 * (`_kv_commit.ts`, `_kv_commit_chunks.ts`) and time-ordered lists
 * (`_kv_time_list.ts`).
 */
export function createKvStore(options: KvStoreOptions): Store {
  const { kv } = options;
  return {
    ...createKvReadingMethods(kv),
    ...createKvDeviceMethods(kv),
    ...createKvAlertMethods(kv),
    ...createKvFeedbackMethods(kv),
    ...createKvChatMethods(kv),
    async ping() {
      await kv.get(["ping"]);
    },
    close() {
      kv.close();
      return Promise.resolve();
    },
  };
}

/**
 * Opens a Deno KV database and wraps it in a store: the file at `path`
 * (creating its folders), a KV Connect URL (a Deno Deploy database reached
 * from elsewhere, with `DENO_KV_ACCESS_TOKEN`), or with no path the
 * platform's own (Deno Deploy's KV). `openKv` is `Deno.openKv` unless a test
 * gives another.
 */
export async function openKvStore(
  path: string | undefined,
  options: { openKv?: (path?: string) => Promise<Deno.Kv> } = {},
): Promise<Store> {
  if (path !== undefined && !isRemoteKv(path) && path !== ":memory:") {
    const folder = path.replace(/\/[^/]*$/, "");
    if (folder && folder !== path) await Deno.mkdir(folder, { recursive: true });
  }
  const openKv = options.openKv ?? ((path?: string) => Deno.openKv(path));
  return createKvStore({ kv: await openKv(path) });
}

/** A KV Connect URL (`https://api.deno.com/databases/<id>/connect`) rather than a file. */
export function isRemoteKv(path: string): boolean {
  return /^https?:\/\//i.test(path);
}
