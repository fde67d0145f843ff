import { processEnv } from "../shared/config/parse_env.ts";
import { defineCommand, parseCommandLine } from "../shared/config/parse_flags.ts";
import { kvPathOf } from "../shared/config/store_env.ts";
import { createCloseStack } from "../shared/entry_point/close_stack.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { runUntilSignal } from "../shared/entry_point/run_until_signal.ts";
import { serveHttp } from "../shared/entry_point/serve_http.ts";
import { createLogger } from "../shared/log.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import { createApi } from "./create_api.ts";
import { ServeConfigSchema } from "./serve_config.ts";

export const SERVE_COMMAND = defineCommand({
  name: "deno task serve",
  about: `Serves the API and its Swagger page over the store (KV_PATH, or monitor.kv in
DATA_DIR). The task may read the repository and write ./data only: see the
README's Permissions section to keep the store elsewhere.`,
  flags: {},
  env: ServeConfigSchema,
});

/** `deno task serve`: the API (and later the bot webhook) over the configured store. */
async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(SERVE_COMMAND, args, processEnv());
  if (typeof line === "number") return line;
  const { config } = line;
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, name: "serve" });
  return await runUntilSignal(async () => {
    const opened = createCloseStack(log);
    try {
      const kvPath = kvPathOf(config);
      const store = await openKvStore(kvPath);
      opened.defer("store", () => store.close());
      const server = serveHttp(config, createApi({ store, log }).fetch);
      opened.defer("API server", () => server.shutdown());
      log.info("listening", { api: server.url, swagger: `${server.url}/docs`, store: kvPath });
    } catch (error) {
      await opened.close().catch(() => {}); // each failure is logged; the cause is thrown
      throw error;
    }
    return { stop: () => opened.close() };
  }, { log, settings: config });
}

if (import.meta.main) await runCommand(() => main(Deno.args));
