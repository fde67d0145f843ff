import type { Clock } from "../shared/clock.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { EXIT } from "../shared/entry_point/exit_codes.ts";
import type { Logger } from "../shared/log.ts";
import { type OpenedStore, openStore, type OpenStoreDeps } from "../shared/store/open_store.ts";
import type { StoreEnv } from "../shared/store/store_config.ts";
import type { Store } from "../shared/store/store.ts";
import { createApi } from "./create_api.ts";
import { accessOf, apiTokenProblem, cursorSecretOf, type ServeConfig } from "./serve_config.ts";

export interface ServiceDeps {
  log: Logger;
  /**
   * The address the service listens on (`HOST`, or what `deno serve` said),
   * or null when it cannot be known (Deno Deploy): then the token is required.
   */
  listenHost: string | null;
  /** `openStore()` unless a test gives another. */
  openStore?: (env: StoreEnv, deps?: OpenStoreDeps) => Promise<OpenedStore>;
  clock?: Clock;
}

/** The service, built: its request handler and what it opened. */
export interface Service {
  fetch: (request: Request) => Response | Promise<Response>;
  store: Store;
  /** Where the store is, for the start-up line. */
  where: string;
  /** Closes what the service opened. */
  close(): Promise<void>;
}

/**
 * The whole HTTP service from its settings: the store `openStore()` names
 * (on Deno Deploy without KV_PATH, Deploy's own KV), the API with its
 * access rules and cursor key. The one composition both ways of running it
 * use: `deno task serve` (the harness) and `export default { fetch }`
 * (`deno serve`, Deno Deploy). Refuses, before opening anything, to serve
 * beyond loopback without API_TOKEN (a `CommandError`, exit code 2).
 *
 * The bot's webhook and the status page are wired here, one dependency of
 * `createApi()` each (`telegram`, `statusPage`).
 */
export async function createService(config: ServeConfig, deps: ServiceDeps): Promise<Service> {
  const problem = apiTokenProblem(config, deps.listenHost);
  if (problem !== null) throw new CommandError(problem, EXIT.usage);
  const open = deps.openStore ?? openStore;
  const { store, where } = await open(config, {
    platformKv: config.DENO_DEPLOYMENT_ID !== undefined,
  });
  const app = createApi({
    store,
    log: deps.log.child("api"),
    clock: deps.clock,
    access: accessOf(config, deps.listenHost),
    cursorSecret: cursorSecretOf(config),
  });
  return { fetch: app.fetch, store, where, close: () => store.close() };
}
