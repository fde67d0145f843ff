import assert from "node:assert/strict";
import { expandTaskVariables, readDenoJson, taskCommand } from "../testing/deno_tasks.ts";
import {
  envNames,
  execForm,
  ignoredByDockerignore,
  type Instruction,
  parseDockerfile,
} from "../testing/dockerfile.ts";
import { unreadVariables, variablesReadBy } from "../testing/entry_point_env.ts";
import { ConsumerConfigSchema } from "./consumer_config.ts";

const ROOT = new URL("../", import.meta.url);
const instructions = parseDockerfile(
  await Deno.readTextFile(new URL("Dockerfile", import.meta.url)),
);
const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword);
const indexOf = (predicate: (i: Instruction) => boolean) => instructions.findIndex(predicate);

function cmd(): string[] {
  const found = all("CMD");
  assert.equal(found.length, 1, "one CMD");
  const words = execForm(found[0]!.args);
  assert.ok(words, "CMD in exec form (JSON), so signals reach deno");
  return words;
}

/** --allow-x=a,b -> { "--allow-x": ["a", "b"] }; a flag without a value -> []. */
function permissions(words: string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (const word of words.filter((w) => w.startsWith("-"))) {
    const [flag, value] = word.split("=", 2) as [string, string | undefined];
    flags.set(flag, value === undefined ? [] : value.split(","));
  }
  return flags;
}

/** The image's `ENV HOME`: where `deno task`'s `$HOME` points in the container. */
function imageHome(): string {
  const home = all("ENV").map((i) => /^HOME=(\S+)$/.exec(i.args)?.[1]).find((h) => h);
  assert.ok(home, "the Dockerfile sets HOME (the task's $HOME/.aws is read there)");
  return home;
}

Deno.test("consumer/Dockerfile runs the same deno run line as `deno task consumer`", async () => {
  const task = taskCommand(await readDenoJson(), "consumer")!;
  assert.equal(cmd().join(" "), expandTaskVariables(task, { HOME: imageHome() }));
});

Deno.test("consumer/Dockerfile starts from the official Deno image at the project's pinned version", async () => {
  const pinned = (await Deno.readTextFile(new URL(".ci/run", ROOT))).match(/^DENO_VERSION=(\S+)$/m)
    ?.[1];
  assert.ok(pinned, ".ci/run pins DENO_VERSION");
  const from = all("FROM");
  assert.equal(from.length, 1);
  assert.match(
    from[0]!.args,
    new RegExp(`^denoland/deno:(debian-)?${pinned!.replaceAll(".", "\\.")}$`),
  );
});

Deno.test("consumer/Dockerfile installs dependencies from the lock file in a layer before the code, without install scripts", () => {
  const copyManifests = indexOf((i) =>
    i.keyword === "COPY" && /deno\.json/.test(i.args) && /deno\.lock/.test(i.args)
  );
  const install = indexOf((i) => i.keyword === "RUN" && /^deno install --frozen( |$)/.test(i.args));
  const firstCode = indexOf((i) => i.keyword === "COPY" && !/deno\.(json|lock)/.test(i.args));
  assert.ok(
    copyManifests >= 0 && install > copyManifests,
    "deno.json and deno.lock, then deno install --frozen",
  );
  assert.ok(firstCode > install, "the code is copied after the dependencies are installed");
  for (const instruction of instructions) {
    assert.doesNotMatch(
      instruction.args,
      /--allow-scripts/,
      `line ${instruction.line} runs npm install scripts`,
    );
  }
});

Deno.test("consumer/Dockerfile runs the consumer as a user that is not root", () => {
  const users = all("USER").map((i) => i.args.trim());
  assert.ok(users.length > 0, "a USER instruction");
  assert.ok(!["root", "0", "0:0"].includes(users.at(-1)!), `runs as ${users.at(-1)}`);
});

Deno.test("consumer/Dockerfile copies the shipped models where the consumer looks by default, and may read only them, ./data and the AWS credential files", () => {
  const modelsDir = ConsumerConfigSchema.shape.MODELS_DIR.parse(undefined).replace(/^\.\//, "");
  const copied = all("COPY").map((i) => i.args.split(/\s+/)[0]!.replace(/\/$/, ""));
  assert.ok(
    copied.some((source) => modelsDir === source || modelsDir.startsWith(`${source}/`)),
    `COPY of ${modelsDir}`,
  );
  assert.deepEqual(permissions(cmd()).get("--allow-read"), [
    `./${modelsDir}`,
    "./data",
    `${imageHome()}/.aws`,
  ]);
});

Deno.test("the consumer's permissions are the network, the environment, the models, ./data and ~/.aws, FFI and the OS release", () => {
  assert.deepEqual(
    permissions(cmd()),
    new Map([
      ["--allow-net", []],
      ["--allow-env", []],
      ["--allow-read", ["./models/trained", "./data", `${imageHome()}/.aws`]],
      ["--allow-write", ["./data"]],
      ["--allow-ffi", []],
      ["--allow-sys", ["osRelease"]],
    ]),
  );
});

Deno.test("consumer/Dockerfile has a health check against the metrics port it sets", () => {
  const env = all("ENV").flatMap((i) => envNames(i.args));
  assert.ok(env.includes("METRICS_PORT"), "ENV METRICS_PORT");
  const port = all("ENV").map((i) => i.args.match(/METRICS_PORT[= ](\d+)/)?.[1]).find(Boolean);
  assert.deepEqual(all("EXPOSE").map((i) => i.args.trim()), [port]);
  const check = all("HEALTHCHECK");
  assert.equal(check.length, 1);
  assert.match(check[0]!.args, /METRICS_PORT/);
  assert.match(check[0]!.args, /\/metrics/);
});

Deno.test("consumer/Dockerfile sets only variables consumer/main.ts reads (and HOME)", () => {
  const names = all("ENV").flatMap((i) => envNames(i.args)).filter((name) => name !== "HOME");
  assert.deepEqual(unreadVariables(names, variablesReadBy("consumer/main.ts")), []);
});

Deno.test(".dockerignore keeps data, caches, the history and tests out, and lets in what the Dockerfile copies", async () => {
  const patterns = (await Deno.readTextFile(new URL(".dockerignore", ROOT))).split("\n");
  for (
    const path of [
      "data/monitor.kv",
      ".cache/kafka-test-broker/x",
      ".git/HEAD",
      "dist/x",
      "node_modules/x",
      "consumer/main_test.ts",
      "testing/a_reading.ts",
    ]
  ) {
    assert.ok(ignoredByDockerignore(patterns, path), `${path} is left out`);
  }
  const copied = all("COPY").flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  const needed = [
    ...copied.map((source) => source.replace(/\/$/, "")),
    "consumer/main.ts",
    "models/trained/pc.onnx",
    "models/trained/pc.json",
  ];
  for (const path of needed) assert.ok(!ignoredByDockerignore(patterns, path), `${path} is sent`);
});
