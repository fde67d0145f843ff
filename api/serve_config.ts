import type { z } from "zod";
import { BotServiceEnv } from "../bot/bot_env.ts";
import { HttpEnv } from "../shared/config/http_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { composeEnv } from "../shared/config/parse_env.ts";
import { StoreEnv } from "../shared/config/store_env.ts";
import { TimeZoneEnv } from "../shared/config/time_zone_env.ts";

/** `deno task serve`'s settings: where to listen, which store to read, the bot. */
export const ServeConfigSchema = composeEnv(HttpEnv, StoreEnv, LogEnv, BotServiceEnv, TimeZoneEnv);

export type ServeConfig = z.output<typeof ServeConfigSchema>;
