import { z } from "zod";
import { DEFAULT_LOG_FORMAT, DEFAULT_LOG_LEVEL, LOG_FORMATS, LOG_LEVELS } from "../log.ts";

/** Config piece: how much every command logs, and in which format. */
export const LogEnv = z.object({
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be ${LOG_LEVELS.join(", ")}` })
    .default(DEFAULT_LOG_LEVEL),
  LOG_FORMAT: z.enum(LOG_FORMATS, {
    error: `must be ${LOG_FORMATS.join(" or ")} (json: one JSON object per line)`,
  }).default(DEFAULT_LOG_FORMAT),
});

export type LogEnv = z.output<typeof LogEnv>;
