import assert from "node:assert/strict";
import { dynalitePeer, startDynalite } from "../testing/dynalite/start_dynalite.ts";
import { ensureTable } from "../shared/store/dynamodb/ensure_table.ts";
import { testDynamoDbClient } from "../testing/dynamodb_test_table.ts";
import { readLines } from "../testing/read_lines.ts";
import { waitUntil } from "../testing/wait_until.ts";

/**
 * The service must run on Deno Deploy: no native addon anywhere in its
 * entry's import graph, and no local file read or written while it serves.
 * Checked generically, so whatever the entry comes to import (the bot, the
 * status page, the charts) is checked the moment it is wired in:
 *
 * - statically, every npm package of `deno info api/main.ts` is looked at in
 *   Deno's npm cache: no `.node` file, no `binding.gyp`, no install script
 *   that builds one;
 * - at run time, `deno serve api/main.ts` (its default export, as Deploy
 *   runs it) answers every kind of route with no read or write permission,
 *   on Deno KV and on DynamoDB.
 */
const ROOT = new URL("..", import.meta.url).pathname;
const ENTRY = new URL("./main.ts", import.meta.url).href;
const decoder = new TextDecoder();

interface NpmPackage {
  name: string;
  version: string;
  dependencies?: string[];
  localPath?: string;
}

/**
 * The npm packages of a module's import graph, from `deno info --json`: the
 * packages its modules come from and, transitively, their dependencies
 * (`npmPackages` alone lists every package the lock file resolves).
 */
async function npmPackagesOf(module: string): Promise<NpmPackage[]> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", module],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, decoder.decode(stderr));
  const info = JSON.parse(decoder.decode(stdout)) as {
    modules: { npmPackage?: string }[];
    npmPackages: Record<string, NpmPackage>;
  };
  const seen = new Set<string>();
  const pending = info.modules.flatMap((m) => m.npmPackage ? [m.npmPackage] : []);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...(info.npmPackages[id]?.dependencies ?? []));
  }
  return [...seen].map((id) => info.npmPackages[id]!);
}

/** Why a package is a native addon (or builds one when installed), or null. */
async function nativeAddonIn(pkg: NpmPackage): Promise<string | null> {
  assert.ok(pkg.localPath, `${pkg.name}@${pkg.version} is in Deno's npm cache`);
  const manifest = JSON.parse(await Deno.readTextFile(`${pkg.localPath}/package.json`));
  if (manifest.gypfile) return "gypfile: true";
  if (manifest.binary) return "a node-pre-gyp binary";
  for (const script of ["preinstall", "install", "postinstall"]) {
    // An install script that builds or fetches a binary (a usage ping such as @scarf/scarf's is not one).
    const line = manifest.scripts?.[script];
    if (/gyp|prebuild|cmake-js|napi/.test(line ?? "")) {
      return `its ${script} script builds: ${line}`;
    }
  }
  const pending = [pkg.localPath];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && entry.name !== "node_modules") pending.push(path);
      else if (entry.isFile && (entry.name.endsWith(".node") || entry.name === "binding.gyp")) {
        return path.slice(pkg.localPath.length + 1);
      }
    }
  }
  return null;
}

async function addonsOf(module: string): Promise<string[]> {
  const packages = await npmPackagesOf(module);
  assert.ok(packages.length > 0, `the graph of ${module} was read`);
  const found: string[] = [];
  for (const pkg of packages) {
    const why = await nativeAddonIn(pkg);
    if (why !== null) found.push(`${pkg.name}@${pkg.version}: ${why}`);
  }
  return found;
}

Deno.test("the service's entry imports no native addon: every npm package in its graph, checked", async () => {
  const packages = (await npmPackagesOf(ENTRY)).map((p) => p.name);
  assert.ok(packages.includes("hono"), `the graph was read: ${packages}`);
  assert.deepEqual(await addonsOf(ENTRY), []);
  for (const name of ["onnxruntime-node", "kafkajs", "systeminformation", "@aws-sdk/client-s3"]) {
    assert.ok(!packages.includes(name), `api/main.ts imports ${name}`);
  }
});

Deno.test("the start entry point's graph has onnxruntime's native addon (the check above can fail)", async () => {
  const found = await addonsOf(new URL("../start/main.ts", import.meta.url).href);
  assert.ok(found.some((why) => why.startsWith("onnxruntime-node@")), `${found}`);
});

/** `deno serve api/main.ts` with the network and the environment only: no read, no write. */
async function serveWithoutFiles(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      "--no-prompt",
      "--allow-net",
      "--allow-env",
      // The AWS SDK puts the OS release in its user agent; not a file.
      "--allow-sys=osRelease",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "api/main.ts",
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1", DENO_DEPLOYMENT_ID: "deploy-boundary-test", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reading = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const line of readLines(stream)) lines.push(line);
  }));
  await waitUntil(() => lines.some((line) => /serve: listening api=/.test(line)), {
    what: `the listening line (${lines.join(" / ")})`,
  });
  const url = /api=(\S+)/.exec(lines.find((line) => /serve: listening/.test(line))!)![1]!;
  return {
    url,
    lines,
    [Symbol.asyncDispose]: async () => {
      child.kill("SIGTERM");
      await child.status;
      await reading;
    },
  };
}

const TOKEN = "deploy-boundary-token-123";

/** One request of every kind of route, each of which must answer 200. */
async function everyKindOfRoute(url: string, lines: string[]) {
  const auth = { authorization: `Bearer ${TOKEN}` };
  for (
    const path of [
      "/health",
      "/v1/devices",
      "/v1/alerts",
      "/devices/",
      "/metrics",
      "/openapi.json",
      "/docs",
      "/docs/swagger-ui-bundle.js",
    ]
  ) {
    const res = await fetch(`${url}${path}`, { headers: auth });
    await res.body?.cancel();
    assert.equal(res.status, 200, `${path}: ${lines.join("\n")}`);
  }
  const missing = await fetch(`${url}/v1/devices/nope`, { headers: auth });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  assert.ok(
    !lines.some((line) => /NotCapable|Requires (read|write) access/.test(line)),
    lines.join("\n"),
  );
}

Deno.test("deno serve api/main.ts answers with no file permission at all, on Deno KV", async () => {
  await using server = await serveWithoutFiles({ API_TOKEN: TOKEN, KV_PATH: ":memory:" });
  await everyKindOfRoute(server.url, server.lines);
});

Deno.test("the same run cannot open a KV file (the check above can fail)", async () => {
  await using server = await serveWithoutFiles({
    API_TOKEN: TOKEN,
    KV_PATH: "./data/deploy-boundary-never-made/monitor.kv",
  });
  const res = await fetch(`${server.url}/health`);
  assert.equal(res.status, 503);
  await res.body?.cancel();
  assert.ok(server.lines.some((line) => /NotCapable|Requires write access/.test(line)));
});

const dynalite = await dynalitePeer();

Deno.test({
  name: "deno serve api/main.ts answers with no file permission at all, on DynamoDB",
  ignore: dynalite.ignore,
  fn: async () => {
    await using db = await startDynalite();
    const client = testDynamoDbClient(db.endpoint);
    await ensureTable({ client, table: "deploy-boundary", sleep: () => Promise.resolve() });
    client.destroy();
    await using server = await serveWithoutFiles({
      API_TOKEN: TOKEN,
      DYNAMODB_TABLE: "deploy-boundary",
      DYNAMODB_ENDPOINT: db.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    await everyKindOfRoute(server.url, server.lines);
  },
});
