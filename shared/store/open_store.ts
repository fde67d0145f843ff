import { DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { createDynamoDbStore } from "./dynamodb/dynamodb_store.ts";
import { describeDynamoDbError } from "./dynamodb/ensure_table.ts";
import { openKvStore } from "./kv_store.ts";
import type { Store } from "./store.ts";
import {
  dynamoDbClientConfig,
  type StoreEnv,
  storeEnvProblems,
  storeKind,
  storeWhere,
} from "./store_config.ts";

export interface OpenedStore {
  store: Store;
  kind: "kv" | "dynamodb";
  /** The KV file, or the DynamoDB table and where it is, for the start-up log. */
  where: string;
}

export interface OpenStoreDeps {
  /** Check that a DynamoDB table can be reached before answering (default true). */
  check?: boolean;
}

/**
 * The store the environment names (see `store_config.ts`): every entry
 * point calls this. A DynamoDB store is pinged first, so a wrong table,
 * endpoint or credentials stop the program at start with one line that
 * says what to do, not at the first reading.
 */
export async function openStore(env: StoreEnv, deps: OpenStoreDeps = {}): Promise<OpenedStore> {
  const problems = storeEnvProblems(env);
  if (problems.length > 0) {
    const [{ path: [name], message }] = problems as [(typeof problems)[number]];
    throw new RangeError(`Cannot open the store: ${name} ${message}`);
  }
  const where = storeWhere(env);
  if (storeKind(env) === "kv") {
    return { store: await openKvStore(where), kind: "kv", where };
  }
  const store = createDynamoDbStore({
    client: new DynamoDBClient(dynamoDbClientConfig(env)),
    table: env.DYNAMODB_TABLE!,
    readingsTtlDays: env.READINGS_TTL_DAYS,
  });
  if (deps.check ?? true) {
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      if (error instanceof ResourceNotFoundException) {
        throw new Error(
          `Cannot open the store: ${where} does not exist; create it with \`deno task store:init\``,
        );
      }
      throw new Error(`Cannot open the store: ${describeDynamoDbError(error, where)}`);
    }
  }
  return { store, kind: "dynamodb", where };
}
