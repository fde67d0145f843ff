/**
 * The READMEs against the code: each `deno task` they name exists, and each
 * environment variable the production guide names is read by an entry point.
 */
import assert from "node:assert/strict";
import { readDenoJson } from "./testing/deno_tasks.ts";
import { unreadVariables, variablesReadByAnyEntryPoint } from "./testing/entry_point_env.ts";

const ROOT = new URL("./", import.meta.url);
const SKIPPED = new Set([".git", ".cache", "node_modules", "data", "dist"]);

/** Every README.md of the repository, as paths from the root. */
async function readmes(dir = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(new URL(dir || ".", ROOT))) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory && !SKIPPED.has(entry.name)) found.push(...await readmes(path));
    else if (entry.isFile && entry.name === "README.md") found.push(path);
  }
  return found.sort();
}

/** A level-2 section of a Markdown text, heading included, up to the next level-2 heading. */
function section(markdown: string, heading: string): string | null {
  const start = markdown.search(
    new RegExp(`^## ${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m"),
  );
  if (start < 0) return null;
  const next = markdown.slice(start + 3).search(/^## /m);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, start + 3 + next);
}

/**
 * The environment variable names a text mentions: UPPER_SNAKE words, `NAME=`
 * assignments and all-capital words in backticks. GitHub's `secrets.NAME`
 * and `vars.NAME` are the workflow's, not the programs', and are left out.
 */
function variableNames(text: string): string[] {
  const names = new Set<string>();
  const add = (name: string, at: number) => {
    if (!/(secrets|vars)\.$/.test(text.slice(Math.max(0, at - 8), at))) names.add(name);
  };
  for (const m of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) add(m[0], m.index!);
  for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]{2,})=/g)) add(m[1]!, m.index!);
  for (const m of text.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)) add(m[1]!, m.index! + 1);
  return [...names].sort();
}

Deno.test("variableNames() finds variables written every way, but not GitHub's secrets and vars", () => {
  const text = "Set `STORE` and KAFKA_BROKERS, HOST=0.0.0.0 deno task serve; " +
    "`secrets.AWS_ROLE_ARN`, vars.DENO_DEPLOY_APP; GET /metrics, `GET`, SHA256SUMS.";
  assert.deepEqual(variableNames(text), ["GET", "HOST", "KAFKA_BROKERS", "STORE"]);
});

Deno.test("section() cuts one level-2 section out of a Markdown text", () => {
  const text = "# T\n\n## A\n\none\n\n### A.1\n\ntwo\n\n## B\n\nthree\n";
  assert.equal(section(text, "A"), "## A\n\none\n\n### A.1\n\ntwo\n\n");
  assert.equal(section(text, "B"), "## B\n\nthree\n");
  assert.equal(section(text, "C"), null);
});

Deno.test("every `deno task` a README names exists in deno.json", async () => {
  const tasks = (await readDenoJson()).tasks;
  const missing: string[] = [];
  for (const readme of await readmes()) {
    const text = await Deno.readTextFile(new URL(readme, ROOT));
    for (const [, task] of text.matchAll(/deno task ([\w:.-]*\w)/g)) {
      if (!(task! in tasks)) missing.push(`${readme}: deno task ${task}`);
    }
  }
  assert.deepEqual([...new Set(missing)], []);
});

Deno.test("every environment variable README's production guide names is read by an entry point", async () => {
  const guide = section(await Deno.readTextFile(new URL("README.md", ROOT)), "Run in production");
  assert.ok(guide, "README.md has a section 'Run in production'");
  assert.deepEqual(unreadVariables(variableNames(guide), variablesReadByAnyEntryPoint()), []);
});

Deno.test("README's production guide covers Kafka, AWS, store:init, models, the service and webhook, and links the Pi section", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const guide = section(readme, "Run in production")!;
  for (
    const needed of [
      "Confluent Cloud",
      "Your own Kafka",
      "terraform",
      "deno task store:init",
      "deno task publish-model",
      "deno deploy",
      "deno task bot:set-webhook",
    ]
  ) {
    assert.ok(guide.includes(needed), needed);
  }
  assert.ok(guide.includes("(#install-on-a-raspberry-pi)"), "links the Raspberry Pi section");
  assert.match(readme, /^## Install on a Raspberry Pi$/m);
});
