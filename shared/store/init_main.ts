import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { z } from "zod";
import { parseEnvOrReport, processEnv } from "../config/parse_env.ts";
import { describeDynamoDbError, ensureTable } from "./dynamodb/ensure_table.ts";
import {
  dynamoDbClientConfig,
  DynamoDbEnvSchema,
  storeEnvProblems,
  TABLE_NAME,
} from "./store_config.ts";

/** `store:init` needs a table name; the rest as for every entry point. */
export const StoreInitEnvSchema = DynamoDbEnvSchema.extend({
  DYNAMODB_TABLE: z.string({ error: "is required: the table to create" })
    .regex(TABLE_NAME, { error: "must be 3-255 letters, digits, '_', '-' or '.'" }),
}).superRefine((env, ctx) => {
  for (const problem of storeEnvProblems(env)) ctx.addIssue({ code: "custom", ...problem });
});

export interface InitStoreDeps {
  /** Where each line goes. */
  out?: (line: string) => void;
  /** Waits while a new table is created. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Creates the store's DynamoDB table on the endpoint the environment names,
 * or checks the one there; enables TTL where the endpoint has it. Returns
 * the exit code: 0 done, 1 failed (one line says why), 2 bad configuration.
 */
export async function initStore(
  env: Record<string, string | undefined>,
  deps: InitStoreDeps = {},
): Promise<number> {
  const out = deps.out ?? console.log;
  const config = parseEnvOrReport(StoreInitEnvSchema, env, out);
  if (!config) return 2;
  const table = config.DYNAMODB_TABLE;
  const where = config.DYNAMODB_ENDPOINT ?? `AWS ${config.AWS_REGION}`;
  out(`store:init: table '${table}' on ${where}`);
  const client = new DynamoDBClient({ ...dynamoDbClientConfig(config), maxAttempts: 2 });
  try {
    const result = await ensureTable({
      client,
      table,
      log: (line) => out(`  ${line}`),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    out(
      `store:init: ${
        result.created ? "done" : "nothing to do"
      }; STORE=dynamodb DYNAMODB_TABLE=${table} selects it`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error && error.message.startsWith("Table '")
      ? error.message
      : describeDynamoDbError(error, where);
    out(`store:init: ${message}`);
    return 1;
  } finally {
    client.destroy();
  }
}

if (import.meta.main) Deno.exit(await initStore(processEnv(), { out: console.log }));
