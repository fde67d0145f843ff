import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The DynamoDB table of the store, as data: `deno task store:init` creates
 * it from this, and infra/*.tf is checked against it. One table holds every
 * kind of item (see shared/store/README.md for each item's keys):
 *
 * - base key `pk` + `sk`: readings by device and time, a device's summary,
 *   owner state (mute, decommissioning) and alert-policy state, alerts and
 *   feedback by id, dead letters by time, chats and their subscriptions;
 * - `by_list` (`g1pk` + `g1sk`): the device list by name, alerts and
 *   feedback by time;
 * - `by_device` (`g2pk` + `g2sk`): one device's alerts and feedback by
 *   time, the chats subscribed to a device;
 * - `pending` (`g3pk` + `g3sk`, sparse): the outbox of alerts not yet sent;
 * - TTL on `expires_at` (epoch seconds): readings and dead letters expire.
 */
export const STORE_TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  billingMode: "PAY_PER_REQUEST",
  ttlAttribute: "expires_at",
  indexes: [
    {
      name: "by_list",
      partitionKey: "g1pk",
      sortKey: "g1sk",
      projection: "INCLUDE",
      nonKeyAttributes: ["doc", "muted_until", "decommissioned_at"],
    },
    {
      name: "by_device",
      partitionKey: "g2pk",
      sortKey: "g2sk",
      projection: "INCLUDE",
      nonKeyAttributes: ["doc"],
    },
    {
      name: "pending",
      partitionKey: "g3pk",
      sortKey: "g3sk",
      projection: "KEYS_ONLY",
      nonKeyAttributes: [],
    },
  ],
} as const;

export type StoreIndexName = (typeof STORE_TABLE.indexes)[number]["name"];

/** Every key attribute of the table and its indexes: all strings. */
export function keyAttributes(): string[] {
  return [
    STORE_TABLE.partitionKey,
    STORE_TABLE.sortKey,
    ...STORE_TABLE.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
}

/** The CreateTable request for a table named `tableName`. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: STORE_TABLE.billingMode,
    AttributeDefinitions: keyAttributes().map((name) => ({
      AttributeName: name,
      AttributeType: "S",
    })),
    KeySchema: [
      { AttributeName: STORE_TABLE.partitionKey, KeyType: "HASH" },
      { AttributeName: STORE_TABLE.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: STORE_TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: index.projection === "INCLUDE"
        ? { ProjectionType: "INCLUDE", NonKeyAttributes: [...index.nonKeyAttributes] }
        : { ProjectionType: index.projection },
    })),
  };
}
