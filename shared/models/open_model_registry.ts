import { S3Client } from "@aws-sdk/client-s3";
import type { ModelsEnv } from "../config/models_env.ts";
import type { S3Env } from "../config/s3_env.ts";
import { createFolderModelRegistry } from "./folder_model_registry.ts";
import type { ModelRegistry } from "./model_registry.ts";
import { s3ClientConfig } from "./s3_config.ts";
import { createS3ModelRegistry } from "./s3_model_registry.ts";

export interface OpenedModelRegistry {
  registry: ModelRegistry;
  /** `s3://bucket/prefix` or the folder, for the start-up log. */
  where: string;
  /** Releases the S3 client, if any. */
  close(): void;
}

/**
 * Where a consumer finds its models, from its config (the models and S3
 * pieces, checked when parsed): the S3 bucket `MODELS_BUCKET` under
 * `MODELS_PREFIX` when set, else the folder `MODELS_DIR`.
 */
export function openModelRegistry(env: ModelsEnv & S3Env): OpenedModelRegistry {
  if (env.MODELS_BUCKET === undefined) {
    return {
      registry: createFolderModelRegistry({ dir: env.MODELS_DIR }),
      where: env.MODELS_DIR,
      close: () => {},
    };
  }
  const client = new S3Client(s3ClientConfig(env));
  return {
    registry: createS3ModelRegistry({
      client,
      bucket: env.MODELS_BUCKET,
      prefix: env.MODELS_PREFIX,
    }),
    where: `s3://${env.MODELS_BUCKET}/${env.MODELS_PREFIX}`,
    close: () => client.destroy(),
  };
}
