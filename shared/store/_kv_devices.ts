import { upgradeSummary } from "./device_summary.ts";
import { decodeNameCursor, encodeNameCursor } from "./cursor.ts";
import { checkTime } from "./store_checks.ts";
import type { DeviceSummary } from "./records.ts";
import { checkPageQuery, type Store } from "./store.ts";
import { key } from "./_kv_keys.ts";
import { commitUnlessLocked, MAX_COMMIT_ATTEMPTS } from "./_kv_commit.ts";

export type KvDeviceMethods = Pick<
  Store,
  "listDevices" | "getDevice" | "decommissionDevice" | "setMute" | "clearMute"
>;

/** Devices on Deno KV: their summaries, listed by name, and the owner's mute and retirement. */
export function createKvDeviceMethods(kv: Deno.Kv): KvDeviceMethods {
  /** Reads, changes and writes one device's summary, retrying if another writer got in first. */
  async function updateSummary(
    device: string,
    change: (summary: DeviceSummary) => DeviceSummary,
  ): Promise<DeviceSummary | null> {
    for (let attempt = 1;; attempt++) {
      const entry = await kv.get<DeviceSummary>(key.device(device));
      if (!entry.value) return null;
      const next = change(upgradeSummary(entry.value));
      const op = kv.atomic().check(entry).set(key.device(device), next);
      if ((await commitUnlessLocked(op)).ok) return next;
      if (attempt === MAX_COMMIT_ATTEMPTS) {
        throw new Error(`Cannot update device '${device}': ${attempt} commits lost a race`);
      }
    }
  }

  return {
    async listDevices(query) {
      checkPageQuery(query);
      const after = query.cursor === undefined ? null : decodeNameCursor(query.cursor);
      const iterator = kv.list<DeviceSummary>(
        after === null
          ? { prefix: key.devices() }
          : { prefix: key.devices(), start: key.device(`${after}\u0000`) },
        { limit: query.limit + 1 },
      );
      const items: DeviceSummary[] = [];
      for await (const entry of iterator) items.push(upgradeSummary(entry.value));
      const more = items.length > query.limit;
      if (more) items.pop();
      return { items, next_cursor: more ? encodeNameCursor(items.at(-1)!.device) : null };
    },
    async getDevice(device) {
      const summary = (await kv.get<DeviceSummary>(key.device(device))).value;
      return summary ? upgradeSummary(summary) : null;
    },
    async decommissionDevice(device, at) {
      checkTime("decommission the device", "at", at);
      return await updateSummary(device, (summary) => ({ ...summary, decommissioned_at: at }));
    },
    async setMute(device, until) {
      checkTime("mute the device", "until", until);
      return await updateSummary(device, (summary) => ({ ...summary, muted_until: until }));
    },
    clearMute(device) {
      return updateSummary(device, (summary) => ({ ...summary, muted_until: null }));
    },
  };
}
