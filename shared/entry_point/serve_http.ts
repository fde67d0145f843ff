import type { HttpEnv } from "../config/http_env.ts";
import { CommandError } from "./command_error.ts";
import { EXIT } from "./exit_codes.ts";

/** An HTTP server started by `serveHttp()`. */
export interface HttpServer {
  /** Where it listens, e.g. `http://127.0.0.1:8000` (`[::1]` for IPv6). */
  url: string;
  /** Stops taking requests and waits for those in hand. */
  shutdown(): Promise<void>;
}

export interface ServeHttpOptions {
  /**
   * The variables that set the address, named in errors: `HOST` and `PORT`
   * by default (`METRICS_HOST` and `METRICS_PORT` for the metrics server).
   */
  names?: { host: string; port: string };
}

/**
 * Serves `handler` on `HOST`:`PORT` (the HTTP config piece). A port in use or
 * an address that is not this machine's is a {@linkcode CommandError} naming
 * `PORT` or `HOST`, said in one line by the entry-point harness.
 */
export function serveHttp(
  env: HttpEnv,
  handler: (request: Request) => Response | Promise<Response>,
  options: ServeHttpOptions = {},
): HttpServer {
  const { host, port } = options.names ?? { host: "HOST", port: "PORT" };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: env.HOST, port: env.PORT, onListen: () => {} }, handler);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new CommandError(
        `${port} ${env.PORT} on ${env.HOST} is in use: stop what holds it or set ${port} to another port`,
      );
    }
    if (error instanceof Deno.errors.AddrNotAvailable) {
      throw new CommandError(
        `${host} ${env.HOST} is not an address of this machine: set ${host} to one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for every interface)`,
        EXIT.usage,
      );
    }
    throw error;
  }
  const { hostname, port: listening } = server.addr;
  return {
    url: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${listening}`,
    shutdown: () => server.shutdown(),
  };
}
