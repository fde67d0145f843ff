import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { z } from "zod";
import { envNumber } from "../config/parse_env.ts";

/** DynamoDB's rule for table names. */
export const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * Which store an entry point opens, from the environment: Deno KV (the
 * embedded default: `DATA_DIR`, `KV_PATH`) or DynamoDB (`DYNAMODB_TABLE`,
 * with `DYNAMODB_ENDPOINT` for a local or compatible server, `AWS_REGION`,
 * credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` or the AWS
 * SDK's default chain). `STORE=kv|dynamodb` chooses; unset, the presence of
 * `DYNAMODB_TABLE` chooses DynamoDB.
 */
export const DynamoDbEnvSchema = z.object({
  STORE: z.enum(["kv", "dynamodb"], { error: "must be kv or dynamodb" }).optional(),
  DYNAMODB_TABLE: z.string()
    .regex(TABLE_NAME, { error: "must be 3-255 letters, digits, '_', '-' or '.'" }).optional(),
  DYNAMODB_ENDPOINT: z.url({ error: "must be a URL like http://127.0.0.1:8000" }).optional(),
  AWS_REGION: z.string().default("us-east-1"),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  READINGS_TTL_DAYS: envNumber(1, 36_500).default(30),
});

/** The embedded store's place. */
export const KvEnvSchema = z.object({
  DATA_DIR: z.string().default("./data"),
  KV_PATH: z.string().optional(),
});

/** Both, checked together: `STORE=dynamodb` needs a table, and the two AWS keys go together. */
export const StoreEnvSchema = KvEnvSchema.extend(DynamoDbEnvSchema.shape).superRefine(
  (env, ctx) => {
    for (const problem of storeEnvProblems(env)) ctx.addIssue({ code: "custom", ...problem });
  },
);

export type StoreEnv = z.output<typeof StoreEnvSchema>;

/** What is wrong with a combination of store variables, each naming its variable. */
export function storeEnvProblems(
  env: Pick<StoreEnv, "STORE" | "DYNAMODB_TABLE" | "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY">,
): { path: [string]; message: string }[] {
  const problems: { path: [string]; message: string }[] = [];
  if (env.STORE === "dynamodb" && env.DYNAMODB_TABLE === undefined) {
    problems.push({
      path: ["DYNAMODB_TABLE"],
      message: "is required with STORE=dynamodb: the table made by `deno task store:init`",
    });
  }
  if ((env.AWS_ACCESS_KEY_ID === undefined) !== (env.AWS_SECRET_ACCESS_KEY === undefined)) {
    problems.push({
      path: [env.AWS_ACCESS_KEY_ID === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"],
      message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together",
    });
  }
  return problems;
}

/** Which adapter the environment selects. */
export function storeKind(env: Pick<StoreEnv, "STORE" | "DYNAMODB_TABLE">): "kv" | "dynamodb" {
  return env.STORE ?? (env.DYNAMODB_TABLE !== undefined ? "dynamodb" : "kv");
}

/** AWS SDK v3 DynamoDB client options for the environment. */
export function dynamoDbClientConfig(
  env: Pick<
    StoreEnv,
    "DYNAMODB_ENDPOINT" | "AWS_REGION" | "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY"
  >,
): DynamoDBClientConfig {
  return {
    region: env.AWS_REGION,
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        },
      }
      : {}),
  };
}

/** Where the store is, for start-up logs and errors. */
export function storeWhere(env: StoreEnv): string {
  if (storeKind(env) === "kv") return env.KV_PATH ?? `${env.DATA_DIR}/monitor.kv`;
  return `DynamoDB table '${env.DYNAMODB_TABLE}' ` +
    (env.DYNAMODB_ENDPOINT ? `at ${env.DYNAMODB_ENDPOINT}` : `in ${env.AWS_REGION}`);
}
