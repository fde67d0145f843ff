import { processEnv } from "../shared/config/parse_env.ts";
import { defineCommand, parseCommandLine } from "../shared/config/parse_flags.ts";
import { createCloseStack } from "../shared/entry_point/close_stack.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { runUntilSignal } from "../shared/entry_point/run_until_signal.ts";
import { serveHttp } from "../shared/entry_point/serve_http.ts";
import { createLogger } from "../shared/log.ts";
import { createService } from "./create_service.ts";
import { ServeConfigSchema } from "./serve_config.ts";
import { createServeHandler } from "./serve_handler.ts";

export const SERVE_COMMAND = defineCommand({
  name: "deno task serve",
  about: `Serves the API, its Swagger page and the old routes over the store: Deno KV
(KV_PATH, or monitor.kv in DATA_DIR) or DynamoDB (DYNAMODB_TABLE). Beyond
127.0.0.1 it needs API_TOKEN. The task may read the repository and write
./data only: see the README's Permissions section to keep the store elsewhere.
The same file runs on Deno Deploy and under \`deno serve api/main.ts\`.`,
  flags: {},
  env: ServeConfigSchema,
});

/**
 * The first argument `deno task serve` passes: this process listens by
 * itself (HOST, PORT, signals). Without it the module only exports the
 * handler, which `deno serve` and Deno Deploy run (they, too, run the file as
 * the main module).
 */
export const LISTEN_FLAG = "--listen";

/** `deno task serve`: the service on HOST:PORT, with the entry-point harness. */
async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(SERVE_COMMAND, args, processEnv());
  if (typeof line === "number") return line;
  const { config } = line;
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, name: "serve" });
  return await runUntilSignal(async () => {
    const opened = createCloseStack(log);
    try {
      const service = await createService(config, { log, listenHost: config.HOST });
      opened.defer("store", () => service.close());
      const server = serveHttp(config, service.fetch);
      opened.defer("API server", () => server.shutdown());
      log.info("listening", {
        api: `${server.url}/v1`,
        swagger: `${server.url}/docs`,
        store: service.where,
        token: config.API_TOKEN ? "required" : "none (this machine only)",
      });
    } catch (error) {
      await opened.close().catch(() => {}); // each failure is logged; the cause is thrown
      throw error;
    }
    return { stop: () => opened.close() };
  }, { log, settings: config });
}

/**
 * `deno serve api/main.ts` and Deno Deploy: the environment is read and the
 * store opened on the first request, not at import.
 */
export default createServeHandler({ env: () => Deno.env.toObject() });

if (import.meta.main && Deno.args[0] === LISTEN_FLAG) {
  await runCommand(() => main(Deno.args.slice(1)));
}
