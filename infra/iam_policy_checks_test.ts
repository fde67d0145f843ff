import assert from "node:assert/strict";
import { policiesNotFromDocuments, wildcardProblems } from "./iam_policy_checks.ts";
import { parseTerraform } from "./terraform_config.ts";

const parse = async (tf: string) => await parseTerraform({ "iam.tf": tf });

Deno.test("wildcardProblems() passes named actions on named resources", async () => {
  const config = await parse(`
    data "aws_iam_policy_document" "ok" {
      statement {
        actions   = ["dynamodb:GetItem", "dynamodb:Query"]
        resources = [aws_dynamodb_table.t.arn, "\${aws_dynamodb_table.t.arn}/index/*"]
      }
      statement {
        actions   = ["ecr:GetAuthorizationToken"]
        resources = ["*"]
      }
    }
  `);
  assert.deepEqual(wildcardProblems(config), []);
});

Deno.test("wildcardProblems() names every wildcard action and data action on every resource", async (t) => {
  await t.step("'*', 'dynamodb:*' and 's3:Get*', in static and dynamic statements", async () => {
    const config = await parse(`
      data "aws_iam_policy_document" "bad" {
        statement {
          sid       = "All"
          actions   = ["*"]
          resources = ["arn:aws:s3:::b"]
        }
        statement {
          actions   = ["dynamodb:*"]
          resources = ["arn:aws:dynamodb:us-east-1:1:table/t"]
        }
        dynamic "statement" {
          for_each = [1]
          content {
            sid       = "Reads"
            actions   = ["s3:Get*"]
            resources = ["arn:aws:s3:::b/*"]
          }
        }
      }
    `);
    assert.deepEqual(wildcardProblems(config), [
      "data.aws_iam_policy_document.bad statement All: action '*' has a wildcard",
      "data.aws_iam_policy_document.bad statement 2: action 'dynamodb:*' has a wildcard",
      "data.aws_iam_policy_document.bad statement Reads: action 's3:Get*' has a wildcard",
    ]);
  });

  await t.step("data actions on '*', not_actions, actions from an expression", async () => {
    const config = await parse(`
      variable "actions" { type = list(string) }
      data "aws_iam_policy_document" "bad" {
        statement {
          actions   = ["s3:GetObject"]
          resources = ["*"]
        }
        statement {
          not_actions = ["iam:CreateUser"]
          actions     = ["sts:GetCallerIdentity"]
          resources   = ["*"]
        }
        statement {
          actions   = var.actions
          resources = ["*"]
        }
      }
    `);
    assert.deepEqual(wildcardProblems(config), [
      "data.aws_iam_policy_document.bad statement 1: s3:GetObject on every resource ('*'); name the resources",
      "data.aws_iam_policy_document.bad statement 2: not_actions grants every action but a few; list the actions",
      "data.aws_iam_policy_document.bad statement 3: actions must be a literal list of action names to be checked",
    ]);
  });
});

Deno.test("policiesNotFromDocuments() refuses policies the wildcard check cannot see", async () => {
  const config = await parse(`
    data "aws_iam_policy_document" "assume" {
      statement { actions = ["sts:AssumeRole"] }
    }
    resource "aws_iam_role" "good" {
      name               = "good"
      assume_role_policy = data.aws_iam_policy_document.assume.json
    }
    resource "aws_iam_role_policy" "inline_json" {
      role   = aws_iam_role.good.id
      policy = jsonencode({ Statement = [{ Action = "dynamodb:*", Effect = "Allow", Resource = "*" }] })
    }
    resource "aws_iam_role" "with_inline_block" {
      assume_role_policy = data.aws_iam_policy_document.assume.json
      inline_policy {
        name   = "x"
        policy = "{}"
      }
    }
    resource "aws_iam_role_policy_attachment" "managed" {
      role       = aws_iam_role.good.name
      policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
    }
  `);
  assert.deepEqual(policiesNotFromDocuments(config).sort(), [
    "aws_iam_role.with_inline_block.inline_policy: use aws_iam_role_policy with a document",
    "aws_iam_role_policy.inline_json.policy is not data.aws_iam_policy_document.<name>.json",
    "aws_iam_role_policy_attachment.managed attaches a policy not written here (arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess)",
  ]);
});
