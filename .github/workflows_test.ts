/**
 * The GitHub workflows against the code they run: the tasks they name exist,
 * test.yml is .ci/run, release.yml ships what `deno task compile` builds,
 * deploy.yml gives each entry point only variables it reads and names its
 * secrets only by name.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { readDenoJson, taskCommand, taskEntryFiles } from "../testing/deno_tasks.ts";
import { unreadVariables, variablesReadBy } from "../testing/entry_point_env.ts";

const ROOT = new URL("../", import.meta.url);
const WORKFLOWS = new URL("workflows/", import.meta.url);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; steps: Step[] }>;
}

const text = async (name: string) => await Deno.readTextFile(new URL(name, WORKFLOWS));
const workflow = async (name: string) => parse(await text(name)) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);
const denoJson = await readDenoJson();
const pinnedDeno = (await Deno.readTextFile(new URL(".ci/run", ROOT))).match(
  /^DENO_VERSION=(\S+)$/m,
)![1]!;
const workflowFiles = [...Deno.readDirSync(WORKFLOWS)].map((e) => e.name).filter((n) =>
  n.endsWith(".yml")
).sort();

Deno.test("workflows: every `deno task` they run exists in deno.json", async () => {
  const missing: string[] = [];
  for (const file of workflowFiles) {
    for (const [, task] of (await text(file)).matchAll(/deno task ([\w:.-]+)/g)) {
      if (!(task! in denoJson.tasks)) missing.push(`${file}: deno task ${task}`);
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("workflows: the ones that install Deno install the project's pinned version", async () => {
  for (const file of workflowFiles) {
    for (const [, version] of (await text(file)).matchAll(/npm install -g deno@(\S+)/g)) {
      assert.equal(version, pinnedDeno, file);
    }
  }
});

Deno.test("test.yml runs .ci/run on every push to main and every pull request", async () => {
  const test = await workflow("test.yml");
  assert.ok("pull_request" in test.on, "on pull_request");
  assert.deepEqual((test.on.push as { branches: string[] }).branches, ["main"]);
  assert.deepEqual(steps(test).filter((s) => s.run !== undefined).map((s) => s.run!.trim()), [
    "bash .ci/run",
  ]);
});

Deno.test("release.yml compiles with deno task compile and attaches what it builds, checksums and the systemd unit", async () => {
  const release = await workflow("release.yml");
  const runs = steps(release).map((s) => s.run ?? "").join("\n");
  assert.match(runs, /^deno task compile$/m);
  const built = [...taskCommand(denoJson, "compile")!.matchAll(/--output (\S+)/g)].map((m) =>
    m[1]!
  );
  assert.equal(built.length, 2, "one binary per architecture");
  const upload = runs.match(/gh release upload "\$TAG" ((?:[^\n\\]|\\\n)*)/)?.[1];
  assert.ok(upload, "gh release upload");
  const files = upload.replace(/\\\n/g, " ").split(/\s+/).filter((w) => w && !w.startsWith("-"));
  assert.deepEqual(
    files.sort(),
    [...built, "dist/SHA256SUMS", "producer/stresswatch-producer.service"].sort(),
  );
  const summed = runs.match(/sha256sum ([^>]+)>/)?.[1];
  assert.ok(summed, "sha256sum of the binaries");
  const checksums = summed.trim().split(/\s+/).map((f) => `dist/${f}`);
  assert.deepEqual(checksums.sort(), [...built].sort(), "a checksum of each binary");
});

Deno.test("release.yml names only files that exist in the repository", async () => {
  const paths = [
    ...(await text("release.yml")).matchAll(/\b((?:producer|shared|models|testing)\/[\w./-]+)/g),
  ]
    .map((m) => m[1]!.replace(/[.,]$/, ""));
  assert.ok(paths.length > 0);
  for (const path of paths) {
    await Deno.stat(new URL(path, ROOT)).catch(() => assert.fail(`${path} does not exist`));
  }
});

Deno.test("deploy.yml runs after the test workflow passes on main", async () => {
  const deploy = await workflow("deploy.yml");
  const test = await workflow("test.yml");
  const after = deploy.on.workflow_run as {
    workflows: string[];
    types: string[];
    branches: string[];
  };
  assert.deepEqual(after.workflows, [test.name]);
  assert.deepEqual(after.types, ["completed"]);
  assert.deepEqual(after.branches, ["main"]);
  for (const job of Object.values(deploy.jobs)) {
    assert.match(job.if ?? "", /github\.event\.workflow_run\.conclusion == 'success'/);
  }
});

Deno.test("deploy.yml checks and applies a saved Terraform plan, and builds the consumer image from its Dockerfile", async () => {
  const runs = steps(await workflow("deploy.yml")).map((s) => s.run ?? "").join("\n");
  assert.match(runs, /terraform fmt -check/);
  assert.match(runs, /terraform validate/);
  const plan = runs.match(/terraform plan [^\n]*-out=(\S+)/)?.[1];
  assert.ok(plan, "terraform plan -out=<file>");
  assert.match(
    runs,
    new RegExp(`terraform apply [^\\n]*\\b${plan}$`, "m"),
    "the saved plan is applied",
  );
  assert.match(runs, /docker build -f consumer\/Dockerfile /);
  assert.match(runs, /deno deploy [^\n]*--prod/);
});

Deno.test("deploy.yml names its secrets only by name, each with a comment saying where it comes from", async () => {
  const source = await text("deploy.yml");
  const header = source.split("\non:")[0]!;
  const lines = source.split("\n");
  const problems: string[] = [];
  for (const [index, line] of lines.entries()) {
    for (const [, name] of line.matchAll(/\bsecrets\.(\w+)/g)) {
      if (!/\}\}\s*#\s*\S/.test(line)) {
        problems.push(`line ${index + 1}: secrets.${name} without a comment`);
      }
      if (!new RegExp(`^#\\s+${name}\\s+\\S`, "m").test(header)) {
        problems.push(`secrets.${name} is not described at the top`);
      }
    }
    for (const [, name] of line.matchAll(/\bvars\.(\w+)/g)) {
      if (!new RegExp(`^#\\s+${name}\\s+\\S`, "m").test(header)) {
        problems.push(`vars.${name} is not described at the top`);
      }
    }
  }
  // Nothing that looks like a credential written out.
  assert.doesNotMatch(source, /AKIA[0-9A-Z]{16}|ghp_\w{20,}|\d{8,10}:[\w-]{35}|ddp_\w{20,}/);
  assert.deepEqual([...new Set(problems)], []);
});

Deno.test("deploy.yml gives each deno task and the service only variables their entry points read", async () => {
  const problems: string[] = [];
  const entries = taskEntryFiles(denoJson);
  for (const step of steps(await workflow("deploy.yml"))) {
    const run = step.run ?? "";
    const exported = [...run.matchAll(/^\s*export (\w+)=/gm)].map((m) => m[1]!);
    for (const [, task] of run.matchAll(/deno task ([\w:.-]+)/g)) {
      const entry = entries.get(task!);
      if (entry === undefined) {
        problems.push(`${step.name}: deno task ${task} runs no file of deno.json`);
        continue;
      }
      const names = [...Object.keys(step.env ?? {}), ...exported];
      for (const name of unreadVariables(names, variablesReadBy(entry))) {
        problems.push(`${step.name}: ${name} (not read by ${entry})`);
      }
    }
    const serviceNames = [...run.matchAll(/^\s*service_env ([A-Z][A-Z0-9_]*) /gm)].map((m) =>
      m[1]!
    );
    for (const name of unreadVariables(serviceNames, variablesReadBy("api/main.ts"))) {
      problems.push(`${step.name}: ${name} (not read by api/main.ts)`);
    }
  }
  assert.deepEqual(problems, []);
});
