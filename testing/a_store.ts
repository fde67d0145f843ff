import type { Reading } from "../shared/reading/mod.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Store } from "../shared/store/store.ts";
import { aScored } from "./a_prediction.ts";

/** A fresh in-memory KV store holding `readings` (each with a default prediction). */
export async function aStoreWith(readings: Reading[] = []): Promise<Store & AsyncDisposable> {
  const store = createKvStore({ kv: await Deno.openKv(":memory:") });
  if (readings.length > 0) await store.saveScored(readings.map((r) => aScored(r)));
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}
