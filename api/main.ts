import { parseEnvOrReport, processEnv } from "../shared/config/parse_env.ts";
import { createLogger } from "../shared/log.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import { createApi } from "./create_api.ts";
import { ServeConfigSchema } from "./serve_config.ts";

/** `deno task serve`: the API (and later the bot webhook) over the configured store. */
async function main(): Promise<number> {
  const config = parseEnvOrReport(ServeConfigSchema, processEnv());
  if (!config) return 2;
  const log = createLogger({ level: config.LOG_LEVEL, name: "serve" });
  const kvPath = config.KV_PATH ?? `${config.DATA_DIR}/monitor.kv`;
  const store = await openKvStore(kvPath);
  const app = createApi({ store, log });
  const server = Deno.serve({
    hostname: config.HOST,
    port: config.PORT,
    onListen: ({ hostname, port }) =>
      log.info("listening", {
        api: `http://${hostname}:${port}`,
        swagger: `http://${hostname}:${port}/docs`,
        store: kvPath,
      }),
  }, app.fetch);
  const stopped = Promise.withResolvers<void>();
  Deno.addSignalListener("SIGINT", () => stopped.resolve());
  Deno.addSignalListener("SIGTERM", () => stopped.resolve());
  await stopped.promise;
  await server.shutdown();
  await store.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main());
