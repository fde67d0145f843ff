import assert from "node:assert/strict";
import { secretProblems } from "./secret_checks.ts";
import { parseTerraform } from "./terraform_config.ts";

Deno.test("secretProblems() accepts secrets known by name only", async () => {
  const config = await parseTerraform({
    "ok.tf": `
      variable "consumer_secrets" {
        type    = map(string)
        default = { KAFKA_PASSWORD = "kafka/password" }
      }
      variable "api_token_parameter" { type = string }
    `,
  });
  assert.deepEqual(secretProblems(config), []);
});

Deno.test("secretProblems() names blocks and variables that would hold a secret's value", async () => {
  const config = await parseTerraform({
    "bad.tf": `
      data "aws_ssm_parameter" "token" { name = "/x/token" }
      resource "aws_ssm_parameter" "password" {
        name  = "/x/password"
        type  = "SecureString"
        value = "hunter2"
      }
      resource "aws_iam_access_key" "service" { user = "service" }
      variable "kafka_password" {
        type    = string
        default = "hunter2"
      }
      variable "webhook" {
        type      = string
        sensitive = true
        default   = "abc"
      }
    `,
  });
  assert.deepEqual(secretProblems(config).sort(), [
    "aws_iam_access_key.service makes a long-lived key whose secret lands in the state; name an SSM parameter instead",
    "aws_ssm_parameter.password writes a parameter's value into the state; name an SSM parameter instead",
    "data.aws_ssm_parameter.token reads a parameter's value into the state; name an SSM parameter instead",
    "var.kafka_password looks like a secret and has a default in the repository",
    "var.webhook looks like a secret and has a default in the repository",
  ]);
});
