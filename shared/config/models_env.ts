import { z } from "zod";
import { envInt } from "./parse_env.ts";

/** The folder of the models that ship with the project, and how often to look for new ones. */
export const MODELS_DEFAULTS = { dir: "./models/trained", checkIntervalS: 60 } as const;

/**
 * Config piece: the models folder (the embedded model registry; also what
 * `train`, `evaluate` and `publish-model` read and write by default) and how
 * often a running consumer looks for new versions.
 */
export const ModelsEnv = z.object({
  MODELS_DIR: z.string().default(MODELS_DEFAULTS.dir),
  MODEL_CHECK_INTERVAL_S: envInt(1, 86_400).default(MODELS_DEFAULTS.checkIntervalS),
});

export type ModelsEnv = z.output<typeof ModelsEnv>;
