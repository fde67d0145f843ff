import { z } from "zod";
import { envInt } from "./parse_env.ts";

/** Where `GET /metrics` is served unless told otherwise: this machine only. */
export const METRICS_DEFAULTS = { host: "127.0.0.1" } as const;

/**
 * Config piece: the Prometheus metrics endpoint of a long-running command.
 * Off unless `METRICS_PORT` is set (0 takes a free port); `METRICS_HOST` is
 * `127.0.0.1` by default, `0.0.0.0` lets a Prometheus on another machine
 * scrape it.
 */
export const MetricsEnv = z.object({
  METRICS_PORT: envInt(0, 65535).optional(),
  METRICS_HOST: z.union([z.ipv4(), z.ipv6(), z.literal("localhost")], {
    error: "must be an IP address of this machine (127.0.0.1, 0.0.0.0, ::) or localhost",
  }).default(METRICS_DEFAULTS.host),
});

export type MetricsEnv = z.output<typeof MetricsEnv>;
