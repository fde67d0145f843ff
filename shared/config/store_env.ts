import { z } from "zod";

/** The embedded store's folder and file unless told otherwise. */
export const STORE_DEFAULTS = { dataDir: "./data", kvFile: "monitor.kv" } as const;

/** Config piece: where the embedded store (a Deno KV file) lives. */
export const StoreEnv = z.object({
  DATA_DIR: z.string().default(STORE_DEFAULTS.dataDir),
  KV_PATH: z.string().optional(),
});

export type StoreEnv = z.output<typeof StoreEnv>;

/** The Deno KV file: `KV_PATH`, else `monitor.kv` in `DATA_DIR`. */
export function kvPathOf(env: StoreEnv): string {
  return env.KV_PATH ?? `${env.DATA_DIR.replace(/\/+$/, "")}/${STORE_DEFAULTS.kvFile}`;
}
