import assert from "node:assert/strict";
import { composeEnv, parseEnv } from "./parse_env.ts";
import { requireBucket, S3Env } from "./s3_env.ts";

Deno.test("S3Env needs nothing: no bucket means models from the folder", () => {
  const env = parseEnv(S3Env, {});
  assert.equal(env.MODELS_BUCKET, undefined);
  assert.equal(env.MODELS_PREFIX, "models/");
  assert.equal(env.AWS_REGION, "us-east-1");
});

Deno.test("S3Env names a bad S3 variable when the configuration is parsed", async (t) => {
  await t.step("a bucket name S3 refuses", () => {
    assert.throws(
      () => parseEnv(S3Env, { MODELS_BUCKET: "Not_A_Bucket" }),
      /MODELS_BUCKET is 'Not_A_Bucket': must be a valid S3 bucket name/,
    );
  });
  await t.step("an endpoint that is no URL", () => {
    assert.throws(
      () => parseEnv(S3Env, { S3_ENDPOINT: "localhost:5000" }),
      /S3_ENDPOINT is 'localhost:5000': must be a URL/,
    );
  });
  await t.step("a key id without its secret (the AWS piece's check, kept by composing)", () => {
    assert.throws(
      () => parseEnv(S3Env, { AWS_ACCESS_KEY_ID: "x" }),
      /AWS_SECRET_ACCESS_KEY is not set: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/,
    );
  });
  await t.step("a prefix without its slash", () => {
    assert.throws(
      () => parseEnv(S3Env, { MODELS_PREFIX: "prod" }),
      /MODELS_PREFIX is 'prod': must be empty or end with '\/'/,
    );
  });
});

Deno.test("requireBucket() makes MODELS_BUCKET required", () => {
  const Publish = composeEnv(S3Env).superRefine(requireBucket);
  assert.throws(() => parseEnv(Publish, {}), /MODELS_BUCKET is not set: is required/);
  assert.equal(parseEnv(Publish, { MODELS_BUCKET: "my-models" }).MODELS_BUCKET, "my-models");
});
