import assert from "node:assert/strict";
import { aModelFiles } from "../../testing/a_model.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { createS3ModelRegistry } from "../../shared/models/s3_model_registry.ts";
import { main } from "./main.ts";

const moto = await motoPeer();

Deno.test({
  name: "deno task publish-model publishes every model of a folder and says what is missing",
  ignore: moto.ignore,
  fn: async () => {
    await using s3 = await startMoto();
    await s3.createBucket("cli-models");
    const dir = await Deno.makeTempDir();
    try {
      for (const profile of ["pc", "raspberry"] as const) {
        const files = await aModelFiles(profile);
        await Deno.writeFile(`${dir}/${profile}.onnx`, files.onnx);
        await Deno.writeTextFile(`${dir}/${profile}.json`, JSON.stringify(files.metadata));
      }
      const env = {
        S3_ENDPOINT: s3.endpoint,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      };
      assert.equal(await main(["--dir", dir], env), 2, "no bucket: a configuration error");
      assert.equal(
        await main(["--dir", dir, "--bucket", "cli-models", "--prefix", "prod/"], env),
        0,
      );
      const listed = await createS3ModelRegistry({
        client: s3.client(),
        bucket: "cli-models",
        prefix: "prod/",
      }).list();
      assert.deepEqual(listed.map((r) => r.name), ["pc", "raspberry"]);
      assert.equal(await main(["--dir", dir, "--wrong-flag"], env), 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
