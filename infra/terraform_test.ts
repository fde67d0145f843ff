/**
 * Checks on infra/*.tf as they are, parsed with HashiCorp's HCL parser
 * (terraform itself cannot be installed here; the deploy workflow also runs
 * `terraform fmt -check` and `terraform validate`).
 */
import assert from "node:assert/strict";
import { unreadVariables, variablesReadBy } from "../testing/entry_point_env.ts";
import { policiesNotFromDocuments, wildcardProblems } from "./iam_policy_checks.ts";
import { secretProblems } from "./secret_checks.ts";
import {
  productionSettingsProblems,
  type StoreTableDefinition,
  storeTableDifferences,
} from "./store_table_check.ts";
import {
  type Block,
  locals,
  readTerraform,
  resourcesOfType,
  type TerraformConfig,
  variables,
} from "./terraform_config.ts";
import { checkReferences } from "./terraform_references.ts";

const config = await readTerraform(new URL("./", import.meta.url));

/** Where the store defines its DynamoDB table as data (the store's README, "The table"). */
const STORE_TABLE_MODULE = new URL("../shared/store/dynamodb/table_definition.ts", import.meta.url);

function only(config: TerraformConfig, type: string): Block {
  const found = resourcesOfType(config, type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0]!;
}

const local = (name: string) => locals(config).find((l) => l.name === name)?.body.value;
const variableDefault = (name: string) =>
  variables(config).find((v) => v.name === name)?.body.default;

Deno.test("infra/*.tf: every reference points at a declared resource, data source, variable or local", async () => {
  const report = await checkReferences(config);
  assert.deepEqual(report.unresolved, []);
});

Deno.test("infra/*.tf: every variable and every local is used", async () => {
  const report = await checkReferences(config);
  assert.deepEqual(report.unusedVariables, []);
  assert.deepEqual(report.unusedLocals, []);
});

Deno.test("infra/*.tf: no IAM statement has a wildcard action or a data action on every resource", () => {
  assert.deepEqual(wildcardProblems(config), []);
  assert.deepEqual(policiesNotFromDocuments(config), []);
});

Deno.test("infra/*.tf: secrets are known by name only (nothing holds a value in state or repo)", () => {
  assert.deepEqual(secretProblems(config), []);
});

Deno.test("infra/*.tf: the DynamoDB table is the one the store defines (keys, indexes, TTL)", async () => {
  let definitionModule;
  try {
    definitionModule = await import(STORE_TABLE_MODULE.href);
  } catch (error) {
    throw new Error(
      `Cannot load the store's table definition from ${STORE_TABLE_MODULE.pathname} ` +
        `(it comes with the DynamoDB store adapter): ${(error as Error).message}`,
    );
  }
  const definition: StoreTableDefinition = {
    create: definitionModule.createTableInput("any-name"),
    ttlAttribute: definitionModule.STORE_TABLE.ttlAttribute,
  };
  assert.deepEqual(storeTableDifferences(only(config, "aws_dynamodb_table").body, definition), []);
});

Deno.test("infra/*.tf: the table is on demand, with point-in-time recovery and deletion protection", () => {
  const table = only(config, "aws_dynamodb_table");
  assert.deepEqual(productionSettingsProblems(table.body), []);
  assert.equal(table.body.name, "${var.table_name}");
});

Deno.test("infra/*.tf: the models bucket is versioned, private, encrypted and keeps the last versions", () => {
  const bucket = "${aws_s3_bucket.models.id}";
  const versioning = only(config, "aws_s3_bucket_versioning").body;
  assert.equal(versioning.bucket, bucket);
  assert.equal(versioning.versioning_configuration[0].status, "Enabled");
  const block = only(config, "aws_s3_bucket_public_access_block").body;
  assert.equal(block.bucket, bucket);
  for (
    const setting of [
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
    ]
  ) {
    assert.equal(block[setting], true, setting);
  }
  const encryption = only(config, "aws_s3_bucket_server_side_encryption_configuration").body;
  assert.equal(encryption.bucket, bucket);
  assert.ok(encryption.rule[0].apply_server_side_encryption_by_default[0].sse_algorithm);
  const lifecycle = only(config, "aws_s3_bucket_lifecycle_configuration").body;
  assert.equal(lifecycle.bucket, bucket);
  const expiration = lifecycle.rule[0].noncurrent_version_expiration[0];
  assert.equal(expiration.newer_noncurrent_versions, "${var.models_versions_kept}");
  assert.equal(lifecycle.rule[0].status, "Enabled");
});

Deno.test("infra/*.tf: the consumer's log group keeps its logs for a set time", () => {
  const group = only(config, "aws_cloudwatch_log_group").body;
  assert.equal(group.retention_in_days, "${var.log_retention_days}");
});

Deno.test("infra/*.tf: every variable the consumer's task sets is read by consumer/main.ts", () => {
  const environment = local("consumer_environment") as Record<string, unknown>;
  const secrets = variableDefault("consumer_secrets") as Record<string, string>;
  const settings = variableDefault("consumer_settings") as Record<string, string>;
  const names = [...Object.keys(environment), ...Object.keys(secrets), ...Object.keys(settings)];
  assert.deepEqual(unreadVariables(names, variablesReadBy("consumer/main.ts")), []);
});

Deno.test("infra/*.tf: the consumer is pointed at the table and the bucket made here", () => {
  const environment = local("consumer_environment") as Record<string, unknown>;
  assert.equal(environment.DYNAMODB_TABLE, "${aws_dynamodb_table.store.name}");
  assert.equal(environment.STORE, "dynamodb");
  assert.equal(environment.MODELS_BUCKET, "${aws_s3_bucket.models.bucket}");
});

Deno.test("infra/*.tf: every secret handed to the service is read by api/main.ts", () => {
  const secrets = variableDefault("service_secrets") as Record<string, string>;
  assert.deepEqual(unreadVariables(Object.keys(secrets), variablesReadBy("api/main.ts")), []);
});
