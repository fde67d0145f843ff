import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  createDynamoDbStore,
  type DynamoDbStoreOptions,
} from "../shared/store/dynamodb/dynamodb_store.ts";
import { ensureTable } from "../shared/store/dynamodb/ensure_table.ts";
import type { Store } from "../shared/store/store.ts";

/** A DynamoDB client for a local test server (dynalite, moto): test credentials, no retries of its own beyond the SDK's. */
export function testDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

let tables = 0;

/**
 * A store on a new, empty table of the server at `endpoint` (created with
 * `ensureTable`, as `deno task store:init` does); closing the store deletes
 * the table.
 */
export async function aDynamoDbStore(
  endpoint: string,
  options: Partial<DynamoDbStoreOptions> = {},
): Promise<Store> {
  const client = options.client ?? testDynamoDbClient(endpoint);
  const table = `test-${Date.now().toString(36)}-${++tables}`;
  await ensureTable({ client, table, sleep: (ms) => new Promise((r) => setTimeout(r, ms / 10)) });
  const store = createDynamoDbStore({ ...options, client, table, keepClient: true });
  return {
    ...store,
    async close() {
      await store.close();
      await client.send(new DeleteTableCommand({ TableName: table }));
      client.destroy();
    },
  };
}
