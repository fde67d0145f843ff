import assert from "node:assert/strict";

/**
 * The bot runs inside the service on Deno Deploy: its import graph takes
 * grammY's web build (fetch), never the default Node build (node-fetch, and
 * --allow-env for its debug module), and nothing native.
 */
async function npmModulesOf(module: URL): Promise<string[]> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", module.href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: { kind?: string; specifier: string }[];
  };
  assert.ok(!info.modules.some((m) => m.specifier.endsWith(".node")), "no native addon");
  return info.modules.filter((m) => m.kind === "npm").map((m) => m.specifier);
}

const isNodeGrammy = (specifier: string) => /^npm:\/grammy@[^/]+$/.test(specifier);

Deno.test("the bot's import graph has grammY's web build only, and no onnxruntime, S3 SDK or native addon", async () => {
  const modules = await npmModulesOf(new URL("./telegram_service.ts", import.meta.url));
  assert.ok(modules.some((m) => /^npm:\/grammy@[^/]+\/web$/.test(m)), `${modules}`);
  assert.ok(!modules.some(isNodeGrammy), "grammY's Node build (node-fetch) is not imported");
  for (const forbidden of ["onnxruntime-node", "onnxruntime-common", "@aws-sdk/client-s3"]) {
    assert.ok(!modules.some((m) => m.startsWith(`npm:/${forbidden}@`)), forbidden);
  }
});

Deno.test("the check sees grammY's Node build where it is imported (it can fail)", async () => {
  const modules = await npmModulesOf(new URL("../testing/fake_bot_api_test.ts", import.meta.url));
  assert.ok(modules.some(isNodeGrammy), `${modules}`);
});
