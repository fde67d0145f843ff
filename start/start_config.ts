import { z } from "zod";
import { envInt, envLogLevel, envNumber, envNumberMap } from "../shared/config/parse_env.ts";
import { DEVICE_NAME, DEVICE_NAME_RULE } from "../shared/reading/mod.ts";

/**
 * `deno task start`'s settings. Every one has a default, so it runs with no
 * configuration at all. The README's configuration table lists them.
 */
export const StartConfigSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: envInt(0, 65535).default(8000),
  DATA_DIR: z.string().default("./data"),
  KV_PATH: z.string().optional(),
  DEVICE_NAME: z.string().regex(DEVICE_NAME, {
    error: `must be ${DEVICE_NAME_RULE}`,
  }).optional(),
  SAMPLE_INTERVAL_S: envNumber(0.1, 3600).default(5),
  SENSORS_ROOT: z.string().default("/"),
  MODELS_DIR: z.string().default("./models/trained"),
  MODEL_CHECK_INTERVAL_S: envInt(1, 86_400).default(60),
  ALERT_THRESHOLD: envNumber(0.01, 1).default(0.5),
  ALERT_COOLDOWN_S: envInt(0, 86_400).default(900),
  HOT_LIMITS: envNumberMap(30, 130).default({}),
  LOG_LEVEL: envLogLevel().default("info"),
});

export type StartConfig = z.output<typeof StartConfigSchema>;

/** A host name made into a valid device (and topic) name: `My Laptop.local` -> `My-Laptop.local`. */
export function deviceNameFromHost(hostname: string): string {
  const name = hostname.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return DEVICE_NAME.test(name) ? name : "this-machine";
}
