import { z } from "zod";
import { DEFAULT_LOG_LEVEL, LOG_LEVELS } from "../log.ts";

/** Config piece: how much every command logs. */
export const LogEnv = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be ${LOG_LEVELS.join(", ")}` })
    .default(DEFAULT_LOG_LEVEL),
});

export type LogEnv = z.output<typeof LogEnv>;
