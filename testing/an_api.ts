import { type ApiDeps, createApi } from "../api/create_api.ts";
import { silentLogger } from "../shared/log.ts";
import type { Reading } from "../shared/reading/mod.ts";
import type { Store } from "../shared/store/store.ts";
import { aStoreWith } from "./a_store.ts";
import { createFakeClock, type FakeClock } from "./fake_clock.ts";

/** The service's app over a fresh in-memory store, with a fake clock, for `app.request()` tests. */
export interface AnApi {
  app: ReturnType<typeof createApi>;
  store: Store;
  clock: FakeClock;
  /** `app.request(path, init)`, with a JSON body when `json` is given. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/**
 * `createApi()` over a store holding `readings` (each with a default
 * prediction), a fake clock at `now` (default 2026-01-31T12:00:10Z, five
 * seconds after the default reading) and the silent logger; any dependency
 * can be overridden.
 */
export async function anApi(
  options: Partial<ApiDeps> & { readings?: Reading[]; now?: string } = {},
): Promise<AnApi & AsyncDisposable> {
  const { readings = [], now = "2026-01-31T12:00:10.000Z", ...deps } = options;
  const store = await aStoreWith(readings);
  const clock = createFakeClock(Date.parse(now));
  const app = createApi({ store, clock, log: silentLogger, ...deps });
  return {
    app,
    store,
    clock,
    request(path, init = {}) {
      const { json, ...rest } = init;
      if (json === undefined) return Promise.resolve(app.request(path, rest));
      const headers = new Headers(rest.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return Promise.resolve(app.request(path, { ...rest, headers, body: JSON.stringify(json) }));
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
}
