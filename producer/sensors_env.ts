import { z } from "zod";
import { AGENT_DEFAULTS } from "./create_agent.ts";
import { DEVICE_NAME, DEVICE_NAME_RULE } from "../shared/reading/mod.ts";
import { envNumber } from "../shared/config/parse_env.ts";

/**
 * Config piece: this machine as a device: its name (the host name by
 * default, see `deviceOf()`), how often it is sampled and where `/sys` and
 * `/proc` are read from (a fixture tree in tests).
 */
export const SensorsEnv = z.object({
  DEVICE_NAME: z.string().regex(DEVICE_NAME, {
    error: `must be ${DEVICE_NAME_RULE}`,
  }).optional(),
  SAMPLE_INTERVAL_S: envNumber(0.1, 3600).default(AGENT_DEFAULTS.intervalMs / 1000),
  SENSORS_ROOT: z.string().default("/"),
});

export type SensorsEnv = z.output<typeof SensorsEnv>;

/** This machine's device name: `DEVICE_NAME`, else the host name made valid. */
export function deviceOf(env: Pick<SensorsEnv, "DEVICE_NAME">, hostname: string): string {
  return env.DEVICE_NAME ?? deviceNameFromHost(hostname);
}

/** A host name made into a valid device (and topic) name: `My Laptop.local` -> `My-Laptop.local`. */
export function deviceNameFromHost(hostname: string): string {
  const name = hostname.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
  return DEVICE_NAME.test(name) ? name : "this-machine";
}
