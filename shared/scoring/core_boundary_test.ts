import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";

/**
 * The scoring core's boundaries, read from `deno info --json`: the graph Deno
 * itself resolves, type-only and dynamic imports included.
 *
 * - consumer/ (serving) and models/ (training) never import each other: both
 *   import the core, shared/scoring/;
 * - the core imports no role folder (consumer/, models/, api/, producer/,
 *   start/), directly or through other files;
 * - the consumer's runtime has no onnx-proto (the ONNX writer) and no
 *   models/ file; the light core (mod.ts) loads no onnxruntime.
 */

const ROOT = new URL("../../", import.meta.url);
const ROLE_FOLDERS = ["consumer/", "models/", "api/", "producer/", "start/"];

interface GraphModule {
  specifier: string;
  kind?: string;
  dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
}

/** The modules of a graph, by specifier. */
type Graph = Map<string, GraphModule>;

async function denoInfo(module: URL): Promise<Graph> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", new URL("deno.json", ROOT).pathname, module.href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const info = JSON.parse(new TextDecoder().decode(stdout)) as { modules: GraphModule[] };
  return new Map(info.modules.map((m) => [m.specifier, m]));
}

/** One graph of many files: `deno info` of a temporary module that imports them all. */
async function graphOfFiles(files: readonly string[]): Promise<Graph> {
  const entry = await Deno.makeTempFile({ prefix: "core_boundary_", suffix: ".ts" });
  try {
    const imports = files.map((f) => `import ${JSON.stringify(new URL(f, ROOT).href)};`);
    await Deno.writeTextFile(entry, imports.join("\n") + "\n");
    return await denoInfo(pathToFileURL(entry));
  } finally {
    await Deno.remove(entry);
  }
}

/** A file's path from the repository root (`consumer/main.ts`), or null outside it or for npm. */
function repoPath(specifier: string): string | null {
  return specifier.startsWith(ROOT.href) ? specifier.slice(ROOT.href.length) : null;
}

/** Repository paths a file imports directly (code and type imports). */
function importsOf(graph: Graph, path: string): string[] {
  const module = graph.get(new URL(path, ROOT).href);
  assert.ok(module, `${path} is in the graph`);
  return (module.dependencies ?? [])
    .flatMap((d) => [d.code?.specifier, d.type?.specifier])
    .map((s) => (s ? repoPath(s) : null))
    .filter((p): p is string => p !== null);
}

/** Every repository path reachable from `paths` through the graph, the start included. */
function reachableFrom(graph: Graph, paths: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...paths];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    queue.push(...importsOf(graph, path));
  }
  return seen;
}

/** The TypeScript files under a folder of the repository, recursively, as repository paths. */
async function tsFilesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(new URL(folder, ROOT))) {
    const path = `${folder}${entry.name}`;
    if (entry.isDirectory) files.push(...await tsFilesUnder(`${path}/`));
    else if (entry.isFile && /\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

const isTest = (path: string) => /_test\.tsx?$/.test(path);
const npmPackages = (graph: Graph) =>
  [...graph.values()].filter((m) => m.kind === "npm").map((m) => m.specifier.slice("npm:/".length));

Deno.test("consumer/ and models/ do not import each other: both import the scoring core", async (t) => {
  const consumer = await tsFilesUnder("consumer/");
  const models = await tsFilesUnder("models/");
  const graph = await graphOfFiles([...consumer, ...models]);
  await t.step("the imports were read", () => {
    assert.ok(
      importsOf(graph, "consumer/create_pipeline.ts").includes("shared/scoring/stressed.ts"),
    );
    assert.ok(importsOf(graph, "models/dataset.ts").includes("shared/scoring/features.ts"));
  });
  await t.step("no file in either imports the other folder (tests included)", () => {
    const into = (files: string[], folder: string) =>
      files.flatMap((f) =>
        importsOf(graph, f).filter((p) => p.startsWith(folder)).map((p) => `${f} -> ${p}`)
      );
    assert.deepEqual(
      [...into(consumer, "models/"), ...into(models, "consumer/")],
      [],
      "import the scoring core (shared/scoring/) instead",
    );
  });
  await t.step("nor reaches it through other files (tests aside)", () => {
    const fromConsumer = reachableFrom(graph, consumer.filter((f) => !isTest(f)));
    const fromModels = reachableFrom(graph, models.filter((f) => !isTest(f)));
    assert.ok(fromConsumer.has("shared/scoring/features.ts"), "the consumer's graph was followed");
    assert.deepEqual([...fromConsumer].filter((p) => p.startsWith("models/")), []);
    assert.deepEqual([...fromModels].filter((p) => p.startsWith("consumer/")), []);
  });
});

Deno.test("the scoring core imports no role folder (consumer/, models/, api/, producer/, start/)", async (t) => {
  const core = await tsFilesUnder("shared/scoring/");
  const graph = await graphOfFiles(core);
  const inRoleFolder = (path: string) => ROLE_FOLDERS.some((folder) => path.startsWith(folder));
  await t.step("directly, tests included", () => {
    const found = core.flatMap((f) =>
      importsOf(graph, f).filter(inRoleFolder).map((p) => `${f} -> ${p}`)
    );
    assert.deepEqual(found, []);
  });
  await t.step("through other files (tests aside)", () => {
    const reached = reachableFrom(graph, core.filter((f) => !isTest(f)));
    assert.ok(reached.has("shared/reading/reading_schema.ts"), "the core's graph was followed");
    assert.deepEqual([...reached].filter(inRoleFolder), []);
  });
});

Deno.test("deno info consumer/main.ts has no onnx-proto and no models/ file", async (t) => {
  const graph = await denoInfo(new URL("consumer/main.ts", ROOT));
  const packages = npmPackages(graph);
  assert.ok(
    packages.some((p) => p.startsWith("onnxruntime-node@")),
    `the graph was read: ${packages}`,
  );
  assert.ok(!packages.some((p) => p.startsWith("onnx-proto@")), "the ONNX writer is training's");
  const files = [...graph.keys()].map(repoPath).filter((p) => p !== null);
  assert.deepEqual(files.filter((p) => p.startsWith("models/")), []);
  await t.step("the check can fail: training's graph has onnx-proto", async () => {
    const training = npmPackages(await denoInfo(new URL("models/train/main.ts", ROOT)));
    assert.ok(training.some((p) => p.startsWith("onnx-proto@")), `${training}`);
  });
});

Deno.test("the light core (shared/scoring/mod.ts) loads no onnxruntime, so the service may import it", async () => {
  const packages = npmPackages(await denoInfo(new URL("shared/scoring/mod.ts", ROOT)));
  assert.ok(packages.some((p) => p.startsWith("zod@")), `the graph was read: ${packages}`);
  for (const forbidden of ["onnxruntime-node", "onnxruntime-common", "onnx-proto"]) {
    assert.ok(!packages.some((p) => p.startsWith(`${forbidden}@`)), `mod.ts imports ${forbidden}`);
  }
});
