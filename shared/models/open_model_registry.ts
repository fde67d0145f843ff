import { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { envInt } from "../config/parse_env.ts";
import { createFolderModelRegistry } from "./folder_model_registry.ts";
import type { ModelRegistry } from "./model_registry.ts";
import { s3ClientConfig, S3ModelsEnvSchema } from "./s3_config.ts";
import { createS3ModelRegistry } from "./s3_model_registry.ts";

/**
 * Where a consumer finds its models, from the environment: the S3 bucket
 * `MODELS_BUCKET` (with `MODELS_PREFIX`, `AWS_REGION`, `S3_ENDPOINT` and
 * credentials as in `s3_config.ts`) when set, else the folder `MODELS_DIR`.
 * `MODEL_CHECK_INTERVAL_S` is how often to look for new versions.
 */
export const ModelRegistryEnvSchema = z.object({
  MODELS_DIR: z.string().default("./models/trained"),
  MODELS_BUCKET: z.string().optional(),
  MODELS_PREFIX: z.string().default("models/"),
  AWS_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.string().optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  MODEL_CHECK_INTERVAL_S: envInt(1, 86_400).default(60),
});

export type ModelRegistryEnv = z.output<typeof ModelRegistryEnvSchema>;

export interface OpenedModelRegistry {
  registry: ModelRegistry;
  /** `s3://bucket/prefix` or the folder, for the start-up log. */
  where: string;
  /** Releases the S3 client, if any. */
  close(): void;
}

/** The registry the environment names; throws a RangeError naming a bad S3 variable. */
export function openModelRegistry(env: ModelRegistryEnv): OpenedModelRegistry {
  if (env.MODELS_BUCKET === undefined) {
    return {
      registry: createFolderModelRegistry({ dir: env.MODELS_DIR }),
      where: env.MODELS_DIR,
      close: () => {},
    };
  }
  const parsed = S3ModelsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`Cannot use S3 models: ${String(issue.path[0])} ${issue.message}`);
  }
  const client = new S3Client(s3ClientConfig(parsed.data));
  return {
    registry: createS3ModelRegistry({
      client,
      bucket: parsed.data.MODELS_BUCKET,
      prefix: parsed.data.MODELS_PREFIX,
    }),
    where: `s3://${parsed.data.MODELS_BUCKET}/${parsed.data.MODELS_PREFIX}`,
    close: () => client.destroy(),
  };
}
