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

/** `deno task publish-model ...` as a user runs it: its exit code and stderr lines. */
async function publishCommand(args: string[], env: Record<string, string>) {
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "publish-model", ...args],
    cwd: new URL("../..", import.meta.url).pathname,
    env: { NO_COLOR: "1", ...env },
    stdout: "null",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(stderr).trimEnd().split("\n")
    .filter((line) => !/^Task publish-model /.test(line));
  return { code, lines };
}

Deno.test({
  name:
    "deno task publish-model says a missing bucket or an unreachable S3_ENDPOINT in one line, exit 1",
  ignore: moto.ignore,
  fn: async () => {
    await using s3 = await startMoto();
    const credentials = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
    const missing = await publishCommand(["--bucket", "no-such-bucket"], {
      ...credentials,
      S3_ENDPOINT: s3.endpoint,
    });
    assert.equal(missing.code, 1);
    assert.deepEqual(missing.lines, [
      `error: cannot publish pc: MODELS_BUCKET 'no-such-bucket' does not exist at S3_ENDPOINT ${s3.endpoint}: create it, or check MODELS_BUCKET (--bucket)`,
    ]);

    using closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const endpoint = `http://127.0.0.1:${closed.addr.port}`;
    closed.close(); // a port nothing listens on
    const away = await publishCommand(["--bucket", "models"], {
      ...credentials,
      S3_ENDPOINT: endpoint,
    });
    assert.equal(away.code, 1);
    assert.equal(away.lines.length, 1, away.lines.join("\n"));
    assert.match(
      away.lines[0]!,
      new RegExp(`^error: cannot publish pc: cannot reach S3_ENDPOINT ${endpoint}: .*ECONNREFUSED`),
    );
  },
});
