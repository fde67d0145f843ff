import assert from "node:assert/strict";
import {
  productionSettingsProblems,
  type StoreTableDefinition,
  storeTableDifferences,
} from "./store_table_check.ts";
import { type Body, parseTerraform, resourcesOfType } from "./terraform_config.ts";

/** A store design of the shape store:init uses: one table, a string key, an index, TTL. */
const DEFINITION: StoreTableDefinition = {
  create: {
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "g1pk", AttributeType: "S" },
      { AttributeName: "g1sk", AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, {
      AttributeName: "sk",
      KeyType: "RANGE",
    }],
    GlobalSecondaryIndexes: [{
      IndexName: "by_list",
      KeySchema: [
        { AttributeName: "g1pk", KeyType: "HASH" },
        { AttributeName: "g1sk", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["doc", "muted_until"] },
    }],
  },
  ttlAttribute: "expires_at",
};

const MATCHING = `
  resource "aws_dynamodb_table" "store" {
    name                        = var.table_name
    billing_mode                = "PAY_PER_REQUEST"
    hash_key                    = "pk"
    range_key                   = "sk"
    deletion_protection_enabled = true
    attribute {
      name = "pk"
      type = "S"
    }
    attribute {
      name = "sk"
      type = "S"
    }
    attribute {
      name = "g1pk"
      type = "S"
    }
    attribute {
      name = "g1sk"
      type = "S"
    }
    global_secondary_index {
      name               = "by_list"
      hash_key           = "g1pk"
      range_key          = "g1sk"
      projection_type    = "INCLUDE"
      non_key_attributes = ["muted_until", "doc"]
    }
    ttl {
      attribute_name = "expires_at"
      enabled        = true
    }
    point_in_time_recovery {
      enabled = true
    }
  }
`;

async function table(tf: string): Promise<Body> {
  const [store] = resourcesOfType(await parseTerraform({ "t.tf": tf }), "aws_dynamodb_table");
  return store!.body;
}

Deno.test("storeTableDifferences() finds none when the .tf makes the store's table", async () => {
  assert.deepEqual(storeTableDifferences(await table(MATCHING), DEFINITION), []);
  assert.deepEqual(productionSettingsProblems(await table(MATCHING)), []);
});

Deno.test("storeTableDifferences() names each way the .tf drifts from the store's table", async (t) => {
  await t.step("another sort key and a number attribute", async () => {
    const drifted = MATCHING.replace(`range_key                   = "sk"`, `range_key = "ts"`)
      .replace(`name = "g1sk"\n      type = "S"`, `name = "g1sk"\n      type = "N"`);
    assert.deepEqual(storeTableDifferences(await table(drifted), DEFINITION), [
      `range_key is "ts", the store's is "sk"`,
      `attributes is ["g1pk:S","g1sk:N","pk:S","sk:S"], the store's is ["g1pk:S","g1sk:S","pk:S","sk:S"]`,
    ]);
  });

  await t.step("an index projecting other attributes, and TTL on another attribute", async () => {
    const drifted = MATCHING.replace(`["muted_until", "doc"]`, `["doc"]`)
      .replace(`attribute_name = "expires_at"`, `attribute_name = "ttl"`);
    assert.deepEqual(storeTableDifferences(await table(drifted), DEFINITION), [
      `index 'by_list' non_key_attributes is ["doc"], the store's is ["doc","muted_until"]`,
      `ttl is {"attribute_name":"ttl","enabled":true}, the store's is {"attribute_name":"expires_at","enabled":true}`,
    ]);
  });

  await t.step("an index the store does not have, and one it has missing", async () => {
    const renamed = MATCHING.replace(`name               = "by_list"`, `name = "by_name"`);
    assert.deepEqual(storeTableDifferences(await table(renamed), DEFINITION), [
      `global secondary indexes is ["by_name"], the store's is ["by_list"]`,
    ]);
  });

  await t.step("TTL switched off", async () => {
    const off = MATCHING.replace(
      `enabled        = true\n    }\n    point`,
      `enabled = false\n    }\n    point`,
    );
    assert.deepEqual(storeTableDifferences(await table(off), DEFINITION), [
      `ttl is {"attribute_name":"expires_at","enabled":false}, the store's is {"attribute_name":"expires_at","enabled":true}`,
    ]);
  });
});

Deno.test("productionSettingsProblems() wants on-demand billing, point-in-time recovery and deletion protection", async () => {
  const careless = MATCHING.replace(`deletion_protection_enabled = true`, "")
    .replace(`billing_mode                = "PAY_PER_REQUEST"`, `billing_mode = "PROVISIONED"`)
    .replace(/point_in_time_recovery \{\s*enabled = true\s*\}/, "");
  assert.deepEqual(productionSettingsProblems(await table(careless)), [
    "billing_mode must be PAY_PER_REQUEST (on demand)",
    "point_in_time_recovery must be enabled",
    "deletion_protection_enabled must be true",
  ]);
});
