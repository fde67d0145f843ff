import assert from "node:assert/strict";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { aModelFiles } from "../../testing/a_model.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { createS3ModelRegistry, ONNX_VERSION_KEY } from "./s3_model_registry.ts";

const moto = await motoPeer();

Deno.test({
  name: "createS3ModelRegistry() lists without downloading and checks what it loads",
  ignore: moto.ignore,
  fn: async (t) => {
    await using s3 = await startMoto();
    await s3.createBucket("registry-test");
    const client = s3.client();
    const put = (Key: string, Body: Uint8Array | string, Metadata?: Record<string, string>) =>
      client.send(new PutObjectCommand({ Bucket: "registry-test", Key, Body, Metadata }));
    const registry = createS3ModelRegistry({ client, bucket: "registry-test", prefix: "m/" });

    await t.step("an empty prefix has no models", async () => {
      assert.deepEqual(await registry.list(), []);
    });

    await t.step("only complete pairs directly under the prefix are listed", async () => {
      const pc = await aModelFiles("pc");
      const onnx = await put("m/pc.onnx", pc.onnx);
      await put("m/pc.json", JSON.stringify(pc.metadata), { [ONNX_VERSION_KEY]: onnx.VersionId! });
      await put("m/lonely.json", JSON.stringify(pc.metadata));
      await put("m/old/pc.onnx", pc.onnx);
      await put("elsewhere/pc.onnx", pc.onnx);
      const refs = await registry.list();
      assert.deepEqual(refs.map((r) => r.name), ["pc"]);
      assert.match(refs[0]!.version, /^[0-9a-f]{32}$/, "the metadata's ETag");
    });

    await t.step(
      "load() reads the ONNX version the metadata names, even after a newer upload",
      async () => {
        const pc = await aModelFiles("pc");
        await put("m/pc.onnx", new Uint8Array([9, 9, 9])); // a publish in progress: ONNX first
        const loaded = await registry.load("pc");
        assert.deepEqual(loaded.onnx, pc.onnx);
      },
    );

    await t.step("load() refuses an ONNX that does not hash to the metadata's claim", async () => {
      const pc = await aModelFiles("pc");
      await put("m/pc.json", JSON.stringify(pc.metadata)); // no version named: the latest ONNX
      await assert.rejects(
        registry.load("pc"),
        /the ONNX object hashes to [0-9a-f]{64}, its metadata says/,
      );
    });

    await t.step("load() names the bad field of broken metadata", async () => {
      await put("m/pc.json", JSON.stringify({ name: "pc" }));
      await assert.rejects(
        registry.load("pc"),
        /Invalid model metadata s3:\/\/registry-test\/m\/pc\.json: scope/,
      );
    });
  },
});

Deno.test("createS3ModelRegistry() checks its prefix up front", () => {
  assert.throws(
    () => createS3ModelRegistry({ client: {} as never, bucket: "b", prefix: "models" }),
    /'prefix' must be empty or end with '\/', got 'models'/,
  );
});
