import assert from "node:assert/strict";

/**
 * The charts run inside the service, so they must run on Deno Deploy: no
 * native addon, no file read at run time (the wasm and the font come through
 * the module graph). Checked twice: statically from `deno info`, and by running
 * a render with no permissions at all, from source and as a `deno bundle`.
 */
const root = new URL("../../", import.meta.url);
const mod = new URL("./mod.ts", import.meta.url);
const decoder = new TextDecoder();

async function deno(args: string[], cwd?: string) {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { success, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** A script that renders a PNG through shared/charts and prints its size and signature. */
function probeSource(body = ""): string {
  return `import { renderChartPng } from ${JSON.stringify(mod.href)};
${body}
const series = Array.from({ length: 60 }, (_, i) => ({ time: i * 60_000, value: 40 + i }));
const png = await renderChartPng(series, { title: "probe", unit: "°C", timeZone: "Europe/Berlin", hotLimit: 90 });
console.log(JSON.stringify({ bytes: png.length, signature: String.fromCharCode(...png.subarray(1, 4)) }));
`;
}

/** `deno run` with no permission flag: every read, FFI call, env or net access is refused. */
function runWithoutPermissions(script: string, config: string[]) {
  return deno(["run", "--no-prompt", ...config, script]);
}

Deno.test("shared/charts' import graph has no npm package but resvg-wasm and the font, and no native addon", async () => {
  const { success, stdout, stderr } = await deno(["info", "--json", mod.href]);
  assert.ok(success, stderr);
  const modules = (JSON.parse(stdout) as { modules: { kind?: string; specifier: string }[] })
    .modules;
  const npm = modules.filter((m) => m.kind === "npm").map((m) => m.specifier);
  assert.deepEqual(npm.toSorted(), [
    "npm:/@resvg/resvg-wasm@2.6.2",
    "npm:/@resvg/resvg-wasm@2.6.2/index_bg.wasm",
    "npm:/dejavu-fonts-ttf@2.37.3/ttf/DejaVuSans.ttf",
  ]);
  assert.ok(!modules.some((m) => m.specifier.endsWith(".node")), "no .node addon");
  const local = modules.filter((m) => m.specifier.startsWith("file:"));
  assert.ok(local.length >= 5, `the graph was read: ${local.map((m) => m.specifier)}`);
  for (const { specifier } of local) {
    const source = await Deno.readTextFile(new URL(specifier));
    assert.doesNotMatch(
      source,
      /Deno\.(readFile|readTextFile|open|readDir|stat)\b|node:fs|readFileSync|import\.meta\.(dirname|filename)/,
      `${specifier} reads files`,
    );
  }
});

Deno.test("shared/charts renders a PNG with no permissions, from source and as a deno bundle", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "charts-deploy-" });
  try {
    const probe = `${dir}/probe.ts`;
    await Deno.writeTextFile(probe, probeSource());
    const config = ["--config", new URL("deno.json", root).pathname];
    await t.step("from source, with the project's deno.json", async () => {
      const run = await runWithoutPermissions(probe, config);
      assert.ok(run.success, run.stderr);
      assert.equal(JSON.parse(run.stdout).signature, "PNG");
    });
    await t.step("as one bundled file, with no config at all", async () => {
      const bundle = `${dir}/probe.bundle.js`;
      const built = await deno([
        "bundle",
        "--quiet",
        ...config,
        "--platform",
        "deno",
        "--output",
        bundle,
        probe,
      ]);
      assert.ok(built.success, built.stderr);
      const run = await runWithoutPermissions(bundle, ["--no-config", "--no-lock"]);
      assert.ok(run.success, run.stderr);
      const { bytes, signature } = JSON.parse(run.stdout);
      assert.equal(signature, "PNG");
      assert.ok(bytes > 1000, `${bytes} bytes`);
    });
    await t.step(
      "the same run refuses a module that reads a file (the check can fail)",
      async () => {
        const reader = `${dir}/reader.ts`;
        await Deno.writeTextFile(
          reader,
          probeSource(`await Deno.readFile(${JSON.stringify(probe)});`),
        );
        const run = await runWithoutPermissions(reader, config);
        assert.equal(run.success, false);
        assert.match(run.stderr, /NotCapable|Requires read access/);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
