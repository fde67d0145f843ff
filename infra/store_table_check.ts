import type { Body } from "./terraform_config.ts";

/** The parts of a DynamoDB CreateTable request that shape a table. */
export interface CreateTableRequest {
  BillingMode?: string;
  AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[];
  KeySchema?: KeyElement[];
  GlobalSecondaryIndexes?: {
    IndexName?: string;
    KeySchema?: KeyElement[];
    Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  }[];
  LocalSecondaryIndexes?: unknown[];
}

interface KeyElement {
  AttributeName?: string;
  KeyType?: string;
}

/** What `deno task store:init` makes: its CreateTable request and the TTL attribute it enables. */
export interface StoreTableDefinition {
  create: CreateTableRequest;
  ttlAttribute: string;
}

/**
 * How an `aws_dynamodb_table` body differs from the table the store
 * creates: billing mode, key, attribute types, each global index (key,
 * projection, included attributes), local indexes and TTL. Empty when the
 * two would make the same table.
 */
export function storeTableDifferences(table: Body, definition: StoreTableDefinition): string[] {
  const problems: string[] = [];
  const want = definition.create;
  const differ = (what: string, have: unknown, wanted: unknown) => {
    if (JSON.stringify(have) !== JSON.stringify(wanted)) {
      problems.push(`${what} is ${JSON.stringify(have)}, the store's is ${JSON.stringify(wanted)}`);
    }
  };
  differ("billing_mode", table.billing_mode ?? "PROVISIONED", want.BillingMode ?? "PROVISIONED");
  differ("hash_key", table.hash_key, keyOf(want.KeySchema, "HASH"));
  differ("range_key", table.range_key, keyOf(want.KeySchema, "RANGE"));
  differ(
    "attributes",
    ((table.attribute ?? []) as Body[]).map((a) => `${a.name}:${a.type}`).sort(),
    (want.AttributeDefinitions ?? []).map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(),
  );
  if (table.dynamic !== undefined) {
    problems.push("dynamic blocks: write each index out so it can be compared");
  }
  const haveIndexes = (table.global_secondary_index ?? []) as Body[];
  const wantIndexes = want.GlobalSecondaryIndexes ?? [];
  differ(
    "global secondary indexes",
    haveIndexes.map((i) => i.name).sort(),
    wantIndexes.map((i) => i.IndexName).sort(),
  );
  for (const wanted of wantIndexes) {
    const have = haveIndexes.find((i) => i.name === wanted.IndexName);
    if (!have) continue;
    const at = `index '${wanted.IndexName}'`;
    differ(`${at} hash_key`, have.hash_key, keyOf(wanted.KeySchema, "HASH"));
    differ(`${at} range_key`, have.range_key, keyOf(wanted.KeySchema, "RANGE"));
    differ(`${at} projection_type`, have.projection_type, wanted.Projection?.ProjectionType);
    differ(
      `${at} non_key_attributes`,
      [...(have.non_key_attributes ?? [])].sort(),
      [...(wanted.Projection?.NonKeyAttributes ?? [])].sort(),
    );
  }
  differ(
    "local secondary indexes",
    ((table.local_secondary_index ?? []) as Body[]).length,
    (want.LocalSecondaryIndexes ?? []).length,
  );
  const ttl = ((table.ttl ?? []) as Body[])[0];
  differ("ttl", ttl && { attribute_name: ttl.attribute_name, enabled: ttl.enabled }, {
    attribute_name: definition.ttlAttribute,
    enabled: true,
  });
  return problems;
}

/** What production needs beyond the store's design: backups and no accidental deletion. */
export function productionSettingsProblems(table: Body): string[] {
  const problems: string[] = [];
  if (table.billing_mode !== "PAY_PER_REQUEST") {
    problems.push("billing_mode must be PAY_PER_REQUEST (on demand)");
  }
  if (((table.point_in_time_recovery ?? []) as Body[])[0]?.enabled !== true) {
    problems.push("point_in_time_recovery must be enabled");
  }
  if (table.deletion_protection_enabled !== true) {
    problems.push("deletion_protection_enabled must be true");
  }
  return problems;
}

const keyOf = (schema: KeyElement[] | undefined, type: "HASH" | "RANGE") =>
  schema?.find((k) => k.KeyType === type)?.AttributeName;
