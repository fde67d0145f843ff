import assert from "node:assert/strict";

/** The npm packages a module imports, directly or through local files, from `deno info --json`. */
async function npmPackagesOf(module: string): Promise<string[]> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", module],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { kind?: string; specifier: string }[];
  };
  // npm modules appear as `npm:/name@version/path`.
  return info.modules.filter((m) => m.kind === "npm").map((m) => m.specifier.slice("npm:/".length));
}

Deno.test("the API's import graph has no onnxruntime, AWS SDK or native addon (it must run on Deno Deploy)", async () => {
  const packages = await npmPackagesOf(new URL("./main.ts", import.meta.url).href);
  assert.ok(packages.some((p) => p.startsWith("hono@")), `the graph was read: ${packages}`);
  for (
    const forbidden of [
      "onnxruntime-node",
      "onnxruntime-common",
      "onnx-proto",
      "@aws-sdk/client-s3",
    ]
  ) {
    assert.ok(
      !packages.some((p) => p.startsWith(`${forbidden}@`)),
      `api/main.ts imports ${forbidden}`,
    );
  }
});

Deno.test("the start entry point does load onnxruntime (the check above can fail)", async () => {
  const packages = await npmPackagesOf(new URL("../start/main.ts", import.meta.url).href);
  assert.ok(packages.some((p) => p.startsWith("onnxruntime-node@")), `${packages}`);
});
