import assert from "node:assert/strict";
import { parseTerraform } from "./terraform_config.ts";
import { checkReferences } from "./terraform_references.ts";

const check = async (tf: string) => await checkReferences(await parseTerraform({ "main.tf": tf }));

Deno.test("checkReferences() finds nothing wrong with a configuration whose names all resolve", async () => {
  const report = await check(`
    variable "names" { type = map(string) }
    variable "region" { type = string }
    locals { prefix = "x-\${var.region}" }
    data "aws_caller_identity" "me" {}
    resource "aws_s3_bucket" "b" {
      bucket = "\${local.prefix}-\${data.aws_caller_identity.me.account_id}"
      tags   = { for k, v in var.names : k => "\${v}-\${count.index}" if v != "" }
    }
    resource "aws_s3_bucket_versioning" "b" {
      bucket = aws_s3_bucket.b.id
      versioning_configuration { status = "Enabled" }
    }
    data "aws_iam_policy_document" "d" {
      dynamic "statement" {
        for_each = [aws_s3_bucket.b.arn]
        content {
          actions   = ["s3:GetObject"]
          resources = [statement.value]
        }
      }
    }
    output "arn" { value = aws_s3_bucket.b.arn }
  `);
  assert.deepEqual(report, { unresolved: [], unusedVariables: [], unusedLocals: [] });
});

Deno.test("checkReferences() names each reference to something not declared, and where it is", async (t) => {
  await t.step("an undeclared variable, local, data source or resource", async () => {
    const report = await check(`
      resource "aws_s3_bucket" "b" {
        bucket = "\${var.missing}-\${local.nope}"
        policy = data.aws_iam_policy_document.gone.json
      }
      output "x" { value = aws_dynamodb_table.store.arn }
    `);
    assert.deepEqual(report.unresolved, [
      "aws_s3_bucket.b.bucket: var.missing (var.missing is not declared)",
      "aws_s3_bucket.b.bucket: local.nope (local.nope is not declared)",
      "aws_s3_bucket.b.policy: data.aws_iam_policy_document.gone.json (data.aws_iam_policy_document.gone is not declared)",
      "output.x.value: aws_dynamodb_table.store.arn (aws_dynamodb_table.store is not declared)",
    ]);
  });

  await t.step("a name of no known kind (a typo of var)", async () => {
    const report = await check(`output "x" { value = vars.region }`);
    assert.deepEqual(report.unresolved, ["output.x.value: 'vars.region' names nothing declared"]);
  });

  await t.step("a for variable used outside its for expression", async () => {
    const report = await check(`
      variable "m" { type = map(string) }
      output "x" { value = [[for k, v in var.m : v], v] }
    `);
    assert.deepEqual(report.unresolved, ["output.x.value: 'v' names nothing declared"]);
  });

  await t.step("a dynamic block's iterator used outside its content", async () => {
    const report = await check(`
      data "aws_iam_policy_document" "d" {
        dynamic "statement" {
          for_each = statement.value
          content { actions = ["s3:GetObject"] }
        }
      }
    `);
    assert.deepEqual(report.unresolved, [
      "data.aws_iam_policy_document.d.dynamic.statement.for_each: 'statement.value' names nothing declared",
    ]);
  });
});

Deno.test("checkReferences() lists variables and locals that nothing reads", async () => {
  const report = await check(`
    variable "used" { type = string }
    variable "unused" {
      type    = string
      default = "x"
    }
    locals {
      read    = var.used
      forgotten = 1
    }
    output "x" { value = local.read }
  `);
  assert.deepEqual(report.unusedVariables, ["var.unused"]);
  assert.deepEqual(report.unusedLocals, ["local.forgotten"]);
});

Deno.test("parseTerraform() refuses a file that is not HCL, naming it", async () => {
  await assert.rejects(
    () => parseTerraform({ "broken.tf": `resource "aws_s3_bucket" "b" { bucket = ` }),
    (error: Error) => error instanceof SyntaxError && /Cannot parse broken\.tf/.test(error.message),
  );
});
