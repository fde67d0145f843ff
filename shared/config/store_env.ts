import { z } from "zod";
import { DynamoDbEnvSchema, storeEnvProblems } from "../store/store_config.ts";

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

/**
 * Config piece: which store adapter (`STORE=kv|dynamodb`, or DynamoDB when
 * `DYNAMODB_TABLE` is set) and the DynamoDB table. Compose it with
 * `StoreEnv` (the KV file) and `AwsEnv` (region, credentials; `S3Env`
 * brings it too); the result is what `openStore()` takes.
 */
export const StoreAdapterEnv = z.object({
  STORE: DynamoDbEnvSchema.shape.STORE,
  DYNAMODB_TABLE: DynamoDbEnvSchema.shape.DYNAMODB_TABLE,
  DYNAMODB_ENDPOINT: DynamoDbEnvSchema.shape.DYNAMODB_ENDPOINT,
  READINGS_TTL_DAYS: DynamoDbEnvSchema.shape.READINGS_TTL_DAYS,
}).superRefine((env, ctx) => {
  for (const problem of storeEnvProblems(env)) {
    if (problem.path[0] === "DYNAMODB_TABLE") ctx.addIssue({ code: "custom", ...problem });
  }
});

export type StoreAdapterEnv = z.output<typeof StoreAdapterEnv>;
