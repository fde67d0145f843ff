import assert from "node:assert/strict";
import { aModelFiles } from "../../testing/a_model.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { parseEnv } from "../config/parse_env.ts";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { ModelRegistryEnvSchema, openModelRegistry } from "./open_model_registry.ts";

const moto = await motoPeer();

Deno.test("openModelRegistry() uses the models folder when no bucket is set", async () => {
  const opened = openModelRegistry(
    parseEnv(ModelRegistryEnvSchema, { MODELS_DIR: "./models/trained" }),
  );
  assert.equal(opened.where, "./models/trained");
  assert.deepEqual((await opened.registry.list()).map((r) => r.name), ["pc", "raspberry"]);
});

Deno.test("openModelRegistry() names a bad S3 variable", () => {
  const env = parseEnv(ModelRegistryEnvSchema, { MODELS_BUCKET: "Not_A_Bucket" });
  assert.throws(
    () => openModelRegistry(env),
    /Cannot use S3 models: MODELS_BUCKET must be a valid S3 bucket name/,
  );
  const keyOnly = parseEnv(ModelRegistryEnvSchema, {
    MODELS_BUCKET: "models-bucket",
    AWS_ACCESS_KEY_ID: "x",
  });
  assert.throws(
    () => openModelRegistry(keyOnly),
    /AWS_SECRET_ACCESS_KEY AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/,
  );
});

Deno.test({
  name: "openModelRegistry() reads an S3 bucket the environment names",
  ignore: moto.ignore,
  fn: async () => {
    await using s3 = await startMoto();
    await s3.createBucket("env-models");
    const pc = await aModelFiles("pc");
    const client = s3.client();
    await client.send(
      new PutObjectCommand({ Bucket: "env-models", Key: "m/pc.onnx", Body: pc.onnx }),
    );
    await client.send(
      new PutObjectCommand({
        Bucket: "env-models",
        Key: "m/pc.json",
        Body: JSON.stringify(pc.metadata),
      }),
    );
    const opened = openModelRegistry(parseEnv(ModelRegistryEnvSchema, {
      MODELS_BUCKET: "env-models",
      MODELS_PREFIX: "m/",
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    }));
    try {
      assert.equal(opened.where, "s3://env-models/m/");
      assert.deepEqual((await opened.registry.list()).map((r) => r.name), ["pc"]);
      assert.deepEqual((await opened.registry.load("pc")).onnx, pc.onnx);
    } finally {
      opened.close();
    }
  },
});
