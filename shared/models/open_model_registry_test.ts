import assert from "node:assert/strict";
import { aModelFiles } from "../../testing/a_model.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { ModelsEnv } from "../config/models_env.ts";
import { composeEnv, parseEnv } from "../config/parse_env.ts";
import { S3Env } from "../config/s3_env.ts";
import { openModelRegistry } from "./open_model_registry.ts";

const ModelRegistryEnv = composeEnv(ModelsEnv, S3Env);

const moto = await motoPeer();

Deno.test("openModelRegistry() uses the models folder when no bucket is set", async () => {
  const opened = openModelRegistry(
    parseEnv(ModelRegistryEnv, { MODELS_DIR: "./models/trained" }),
  );
  assert.equal(opened.where, "./models/trained");
  assert.deepEqual((await opened.registry.list()).map((r) => r.name), ["pc", "raspberry"]);
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
    const opened = openModelRegistry(parseEnv(ModelRegistryEnv, {
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
