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
  /**
   * Deno KV without `KV_PATH` is the platform's own database (`Deno.openKv()`
   * with no path: Deno Deploy's KV) instead of the file in `DATA_DIR`. For
   * the service on Deno Deploy, which has no local files.
   */
  platformKv?: boolean;
  /** Opens a Deno KV database: `Deno.openKv` unless a test gives another. */
  openKv?: (path?: string) => Promise<Deno.Kv>;
}

/** `where` of the platform's own Deno KV. */
export const PLATFORM_KV = "Deno Deploy's KV";

/**
 * The store the environment names (see `store_config.ts`): every entry
 * point calls this. `KV_PATH` may be a file or a KV Connect URL
 * (`https://api.deno.com/databases/<id>/connect`, with `DENO_KV_ACCESS_TOKEN`
 * in the environment). A DynamoDB store is pinged first, so a wrong table,
 * endpoint or credentials stop the program at start with one line that
 * says what to do, not at the first reading.
 */
export async function openStore(env: StoreEnv, deps: OpenStoreDeps = {}): Promise<OpenedStore> {
  const problems = storeEnvProblems(env);
  if (problems.length > 0) {
    const [{ path: [name], message }] = problems as [(typeof problems)[number]];
    throw new RangeError(`Cannot open the store: ${name} ${message}`);
  }
  if (storeKind(env) === "kv") {
    const path = deps.platformKv && env.KV_PATH === undefined ? undefined : storeWhere(env);
    const store = await openKvStore(path, { openKv: deps.openKv });
    return { store, kind: "kv", where: path ?? PLATFORM_KV };
  }
  const where = storeWhere(env);
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
