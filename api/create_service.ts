import type { Clock } from "../shared/clock.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { EXIT } from "../shared/entry_point/exit_codes.ts";
import type { Logger } from "../shared/log.ts";
import { type OpenedStore, openStore, type OpenStoreDeps } from "../shared/store/open_store.ts";
import type { StoreEnv } from "../shared/store/store_config.ts";
import type { Store } from "../shared/store/store.ts";
import { createTelegramService } from "../bot/telegram_service.ts";
import { createApi } from "./create_api.ts";
import { createStatusPageApp } from "./status_page/create_status_page_app.tsx";
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

/** The status page's HTML shell and assets: public even with API_TOKEN; its data is not. */
export const STATUS_PAGE_PUBLIC_PATHS = ["/", "/status-page/*"] as const;

/**
 * The whole HTTP service from its settings: the store `openStore()` names
 * (on Deno Deploy without KV_PATH, Deploy's own KV), the API with its
 * access rules and cursor key. The one composition both ways of running it
 * use: `deno task serve` (the harness) and `export default { fetch }`
 * (`deno serve`, Deno Deploy). Refuses, before opening anything, to serve
 * beyond loopback without API_TOKEN (a `CommandError`, exit code 2).
 *
 * The bot's webhook (or its polling, `TELEGRAM_MODE=polling`) and the status
 * page are wired here, one dependency of `createApi()` each (`telegram`,
 * `statusPage`); `close()` stops the bot, then closes the store.
 */
export async function createService(config: ServeConfig, deps: ServiceDeps): Promise<Service> {
  const problem = apiTokenProblem(config, deps.listenHost);
  if (problem !== null) throw new CommandError(problem, EXIT.usage);
  const open = deps.openStore ?? openStore;
  const { store, where } = await open(config, {
    platformKv: config.DENO_DEPLOYMENT_ID !== undefined,
  });
  const telegram = createTelegramService({
    config,
    store,
    log: deps.log.child("bot"),
    clock: deps.clock,
    hotLimits: config.HOT_LIMITS,
  });
  const app = createApi({
    store,
    log: deps.log.child("api"),
    clock: deps.clock,
    access: accessOf(config, deps.listenHost),
    cursorSecret: cursorSecretOf(config),
    telegram: telegram?.webhook ?? undefined,
    statusPage: {
      app: createStatusPageApp({
        store,
        apiToken: config.API_TOKEN ?? null,
        timeZone: config.TZ,
        hotLimits: config.HOT_LIMITS,
        clock: deps.clock,
      }),
      publicPaths: STATUS_PAGE_PUBLIC_PATHS,
    },
  });
  try {
    await telegram?.start();
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    fetch: app.fetch,
    store,
    where,
    async close() {
      try {
        await telegram?.stop();
      } finally {
        await store.close();
      }
    },
  };
}
