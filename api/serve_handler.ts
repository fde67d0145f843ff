import { ConfigError, parseEnv } from "../shared/config/parse_env.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { createLogger, type Logger } from "../shared/log.ts";
import { createService, type Service, type ServiceDeps } from "./create_service.ts";
import { errorResponseOf } from "./errors.ts";
import { apiTokenProblem, type ServeConfig, ServeConfigSchema } from "./serve_config.ts";

export interface ServeHandlerDeps {
  /** The environment, read on the first request (or when `deno serve` starts listening). */
  env: () => Record<string, string | undefined>;
  /** Where log lines go; stderr by default. */
  write?: (line: string) => void;
  /** Ends the process when `deno serve` listens beyond loopback without API_TOKEN. */
  exit?: (code: number) => void;
  /** For tests: `openStore()` and the clock. */
  service?: Pick<ServiceDeps, "openStore" | "clock">;
}

/** `export default` of the service's entry: what `deno serve` and Deno Deploy run. */
export interface ServeHandler {
  fetch(request: Request): Promise<Response>;
  /** Called by `deno serve` once it listens (not by every runtime: Deno Deploy may not). */
  onListen(address: Deno.Addr): void;
}

/**
 * The service as `export default { fetch }`, for `deno serve api/main.ts`
 * and Deno Deploy, which run a module's default export as is. Nothing
 * happens at import: the environment is read and the service built (store
 * opened) on the first request, once; requests that come meanwhile wait
 * for it.
 *
 * - Settings that are wrong: every request answers 500 `misconfigured`
 *   naming the variables (details in the log, never the values).
 * - No API_TOKEN while reachable from the network: the same, saying to set
 *   one; under `deno serve` on a non-loopback address the process exits 2 as
 *   soon as it listens, with that message.
 * - A store that cannot be reached: 503 `unavailable`, and the next request
 *   tries again.
 */
export function createServeHandler(deps: ServeHandlerDeps): ServeHandler {
  const write = deps.write ?? ((line: string) => console.error(line));
  let listenHost: string | null = null;
  let config: ServeConfig | null = null;
  let log: Logger = createLogger({ name: "serve", write });
  let service: Promise<Service> | null = null;
  let refused: Response | null = null;

  const readConfig = (): ServeConfig => {
    if (config === null) {
      config = parseEnv(ServeConfigSchema, deps.env());
      log = createLogger({ level: config.LOG_LEVEL, name: "serve", write });
    }
    return config;
  };

  const refuse = (error: unknown): Response => {
    if (error instanceof ConfigError) {
      const names = error.problems.map((problem) => problem.split(" ")[0]).join(", ");
      log.error(`cannot start: ${error.message}`);
      return errorResponseOf(
        "misconfigured",
        `The service cannot start: ${names} (the service log says why)`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error(`cannot start: ${message}`);
    return errorResponseOf("misconfigured", `The service cannot start: ${message}`);
  };

  return {
    onListen(address) {
      listenHost = address.transport === "tcp" ? address.hostname : null;
      try {
        const problem = apiTokenProblem(readConfig(), listenHost);
        if (problem !== null) {
          log.error(`cannot start: ${problem}`);
          (deps.exit ?? Deno.exit)(2);
          return;
        }
      } catch (error) {
        refused = refuse(error);
        return;
      }
      const url = listenHost!.includes(":") ? `[${listenHost}]` : listenHost;
      log.info("listening", { api: `http://${url}:${(address as Deno.NetAddr).port}` });
    },

    async fetch(request) {
      if (refused) return refused.clone();
      if (service === null) {
        try {
          const settings = readConfig();
          service = createService(settings, { log, listenHost, ...deps.service }).then((ready) => {
            log.info("started", { store: ready.where });
            return ready;
          });
        } catch (error) {
          refused = refuse(error);
          return refused.clone();
        }
      }
      let ready: Service;
      try {
        ready = await service;
      } catch (error) {
        if (error instanceof CommandError) {
          refused = refuse(error);
          return refused.clone();
        }
        if (service !== null) {
          service = null; // the store may answer next time
          log.error("cannot open the store", {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        return errorResponseOf(
          "unavailable",
          "The store cannot be reached (the service log says why); try again",
        );
      }
      return await ready.fetch(request);
    },
  };
}
