import type { z } from "zod";
import { HttpEnv } from "../shared/config/http_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { composeEnv } from "../shared/config/parse_env.ts";
import { StoreEnv } from "../shared/config/store_env.ts";

/** `deno task serve`'s settings: where to listen and which store to read. */
export const ServeConfigSchema = composeEnv(HttpEnv, StoreEnv, LogEnv);

export type ServeConfig = z.output<typeof ServeConfigSchema>;
