import { z } from "zod";
import { envInt } from "./parse_env.ts";

/** Where a command serves HTTP unless told otherwise: this machine only. */
export const HTTP_DEFAULTS = { host: "127.0.0.1", port: 8000 } as const;

/**
 * Config piece: where the API listens. `HOST` is an address of this machine
 * (`0.0.0.0` or `::` for every interface) or `localhost`; a name that is not
 * an address would fail only when listening, so it is refused here. `PORT`
 * 0 takes a free port.
 */
export const HttpEnv = z.object({
  HOST: z.union([z.ipv4(), z.ipv6(), z.literal("localhost")], {
    error: "must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::) or localhost",
  }).default(HTTP_DEFAULTS.host),
  PORT: envInt(0, 65535).default(HTTP_DEFAULTS.port),
});

export type HttpEnv = z.output<typeof HttpEnv>;
