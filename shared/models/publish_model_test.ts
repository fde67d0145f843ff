import assert from "node:assert/strict";
import { ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { createS3ModelRegistry } from "./s3_model_registry.ts";
import { aLogisticModel, aModelFiles } from "../../testing/a_model.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import type { ModelFiles } from "./model_registry.ts";
import { publishModel, PublishRefusedError } from "./publish_model.ts";

const moto = await motoPeer();

async function writeLocal(dir: string, files: ModelFiles): Promise<void> {
  await Deno.writeFile(`${dir}/${files.ref.name}.onnx`, files.onnx);
  await Deno.writeTextFile(`${dir}/${files.ref.name}.json`, JSON.stringify(files.metadata));
}

Deno.test({
  name: "publishModel() uploads versions to S3 that the S3 registry lists and loads",
  ignore: moto.ignore,
  fn: async (t) => {
    await using s3 = await startMoto();
    const dir = await Deno.makeTempDir();
    try {
      await s3.createBucket("stresswatch-models");
      const client = s3.client();
      const target = { client, bucket: "stresswatch-models", prefix: "models/" };
      const registry = createS3ModelRegistry({
        client,
        bucket: "stresswatch-models",
        prefix: "models/",
      });
      const v1 = await aModelFiles("pc");
      await writeLocal(dir, v1);

      await t.step("a first publish uploads the ONNX and its metadata", async () => {
        const result = await publishModel(target, { dir, name: "pc" });
        assert.equal(result.status, "published");
        assert.equal(result.sha256, v1.metadata.onnx_sha256);
        assert.ok(result.onnxVersionId && result.jsonVersionId);
        const [ref] = await registry.list();
        assert.equal(ref!.name, "pc");
        const loaded = await registry.load("pc");
        assert.deepEqual(loaded.onnx, v1.onnx);
        assert.equal(loaded.ref.version, ref!.version, "load() and list() agree on the version");
      });

      await t.step("publishing the same model again changes nothing", async () => {
        const before = await registry.list();
        const again = await publishModel(target, { dir, name: "pc" });
        assert.equal(again.status, "unchanged");
        assert.deepEqual(await registry.list(), before);
        const versions = await client.send(
          new ListObjectVersionsCommand({ Bucket: "stresswatch-models" }),
        );
        assert.equal(versions.Versions?.length, 2, "one ONNX and one JSON version");
      });

      await t.step(
        "a new model is a new version; the old one stays in the bucket's history",
        async () => {
          const before = (await registry.list())[0]!.version;
          const v2 = await aModelFiles("pc", {
            model: aLogisticModel("pc", { halfAtHeadroomC: 8 }),
          });
          await writeLocal(dir, v2);
          assert.equal((await publishModel(target, { dir, name: "pc" })).status, "published");
          const after = (await registry.list())[0]!;
          assert.notEqual(after.version, before);
          assert.deepEqual((await registry.load("pc")).onnx, v2.onnx);
          const versions = await client.send(
            new ListObjectVersionsCommand({ Bucket: "stresswatch-models" }),
          );
          assert.equal(versions.Versions?.filter((v) => v.Key === "models/pc.onnx").length, 2);
        },
      );

      await t.step("an ONNX file that does not match its metadata hash is refused", async () => {
        await Deno.writeFile(`${dir}/pc.onnx`, new Uint8Array([1, 2, 3]));
        await assert.rejects(
          publishModel(target, { dir, name: "pc" }),
          (e) =>
            e instanceof PublishRefusedError &&
            /pc\.onnx hashes to [0-9a-f]{64}, but pc\.json claims/.test(e.message),
        );
      });

      await t.step("a bucket without versioning is refused unless told to turn it on", async () => {
        await s3.createBucket("unversioned-models", { versioning: false });
        const raspberry = await aModelFiles("raspberry");
        await writeLocal(dir, raspberry);
        const plain = { client, bucket: "unversioned-models", prefix: "" };
        await assert.rejects(
          publishModel(plain, { dir, name: "raspberry" }),
          /has versioning off; turn it on/,
        );
        const result = await publishModel(plain, {
          dir,
          name: "raspberry",
          enableVersioning: true,
        });
        assert.equal(result.status, "published");
        const listed = await createS3ModelRegistry({ client, bucket: "unversioned-models" }).list();
        assert.deepEqual(listed.map((r) => r.name), ["raspberry"]);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
