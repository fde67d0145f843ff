import assert from "node:assert/strict";
import { dirname, join, normalize } from "node:path";

/**
 * The import rules of the repository, checked on every TypeScript file:
 *
 * 1. Production code never imports `testing/` (the test kits, peers and
 *    fixtures). Test files (`*_test.ts`), `testing/` itself, fixture folders
 *    and benchmark / measurement scripts (`bench_*.ts`, `*_bench.ts`,
 *    `measure_*.ts`, `bench/`) may.
 * 2. Nothing in `producer/` imports `start/`: the agent that ships to a Pi
 *    must not pull in the whole one-machine system.
 * 3. A file whose name starts with `_` is a private helper of its folder:
 *    only files in that same folder import it.
 *
 * (`consumer/` and `models/` against the scoring core are checked beside it.)
 */

const ROOT = dirname(new URL(import.meta.url).pathname);
const SKIPPED_FOLDERS = new Set([".git", ".cache", "node_modules", "data", "dist"]);

/** Still here until the store work moves it to testing/ (then this line can go). */

/** Every repo-relative `.ts` path with its source. */
async function repositoryFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(join(ROOT, folder))) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory && !SKIPPED_FOLDERS.has(entry.name)) await walk(path);
      else if (entry.isFile && entry.name.endsWith(".ts")) {
        files.set(path, await Deno.readTextFile(join(ROOT, path)));
      }
    }
  };
  await walk("");
  return files;
}

/** The repo-relative files a source imports (static and dynamic, local only). */
function localImports(path: string, source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s*["']([^"']+)["']/g),
    ...source.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => normalize(join(dirname(path), s)));
}

const isTest = (path: string) => path.endsWith("_test.ts");
const isTestSupport = (path: string) =>
  path.startsWith("testing/") || path.split("/").includes("fixtures");
const isBenchmark = (path: string) =>
  /(^|\/)(_?bench[^/]*|[^/]*_bench|measure_[^/]*)\.ts$/.test(path) ||
  path.split("/").includes("bench");
const isProduction = (path: string) => !isTest(path) && !isTestSupport(path) && !isBenchmark(path);

/** Every broken rule, one line each: `producer/x.ts imports start/y.ts: ...`. */
export function importViolations(files: Map<string, string>): string[] {
  const violations: string[] = [];
  for (const [path, source] of files) {
    for (const target of localImports(path, source)) {
      const said = `${path} imports ${target}`;
      if (target.startsWith("..")) continue; // outside the repository (none today)
      if (isProduction(path) && target.startsWith("testing/")) {
        violations.push(`${said}: production code must not import the test kits`);
      }
      if (path.startsWith("producer/") && target.startsWith("start/")) {
        violations.push(`${said}: the producer must not import start/`);
      }
      const name = target.slice(target.lastIndexOf("/") + 1);
      if (name.startsWith("_") && dirname(target) !== dirname(path)) {
        violations.push(`${said}: a _file is a private helper of ${dirname(target)}/`);
      }
    }
  }
  return violations;
}

Deno.test("importViolations() finds each kind of broken rule (the check can fail)", () => {
  const files = new Map([
    ["consumer/x.ts", 'import { createFakeClock } from "../testing/fake_clock.ts";'],
    ["consumer/x_test.ts", 'import { createFakeClock } from "../testing/fake_clock.ts";'],
    ["consumer/bench_x.ts", 'import { aReading } from "../testing/a_reading.ts";'],
    ["producer/y.ts", 'export { deviceOf } from "../start/start_config.ts";'],
    ["producer/y_test.ts", 'const m = await import("../start/main.ts");'],
    ["api/z.ts", 'import type { T } from "../shared/store/_kv_time_list.ts";'],
    ["shared/store/kv_store.ts", 'import { list } from "./_kv_time_list.ts";'],
  ]);
  assert.deepEqual(importViolations(files), [
    "consumer/x.ts imports testing/fake_clock.ts: production code must not import the test kits",
    "producer/y.ts imports start/start_config.ts: the producer must not import start/",
    "producer/y_test.ts imports start/main.ts: the producer must not import start/",
    "api/z.ts imports shared/store/_kv_time_list.ts: a _file is a private helper of shared/store/",
  ]);
});

Deno.test("the repository keeps its import rules: no test kit in production code, no start/ in the producer, _files private to their folder", async () => {
  const files = await repositoryFiles();
  assert.ok(
    files.size > 100 && files.has("producer/main.ts"),
    `read the repository (${files.size})`,
  );
  assert.deepEqual(importViolations(files), []);
});

Deno.test("localImports() reads static, re-exported, side-effect and dynamic imports", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type {\n  B,\n} from "../b/b.ts";',
    'export * from "./c.ts";',
    'import "./d.ts";',
    'const e = await import("./e.ts");',
    'import { z } from "zod";',
  ].join("\n");
  assert.deepEqual(localImports("x/y.ts", source), [
    "x/a.ts",
    "b/b.ts",
    "x/c.ts",
    "x/d.ts",
    "x/e.ts",
  ]);
});
