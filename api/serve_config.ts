import { z } from "zod";
import { envInt, envLogLevel } from "../shared/config/parse_env.ts";

/** `deno task serve`'s settings: where to listen and which store to read. */
export const ServeConfigSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: envInt(0, 65535).default(8000),
  DATA_DIR: z.string().default("./data"),
  KV_PATH: z.string().optional(),
  LOG_LEVEL: envLogLevel().default("info"),
});

export type ServeConfig = z.output<typeof ServeConfigSchema>;
