import assert from "node:assert/strict";
import { z } from "zod";
import { envInt } from "./parse_env.ts";
import { createFlagCheck, defineCommand, helpOf, parseCommandLine } from "./parse_flags.ts";

const COMMAND = defineCommand({
  name: "deno task demo",
  about: "Does a demo.",
  flags: {
    hours: { type: "string", value: "H", help: "how long" },
    out: { type: "string", value: "file", default: "x.jsonl", help: "where to write" },
    port: { type: "string", value: "n", env: "PORT", help: "port to listen on" },
    name: { type: "string", multiple: true, default: [], help: "a name; repeat for more" },
    quiet: { type: "boolean", help: "say less" },
  },
  env: z.object({ PORT: envInt(1, 65535).default(8000), TOKEN: z.string().optional() }),
  more: "Example: deno task demo --hours 2",
});

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: { out: (t: string) => lines.out.push(t), err: (t: string) => lines.err.push(t) },
  };
}

Deno.test("parseCommandLine() gives the flags with their defaults and the parsed environment", () => {
  const { output } = capture();
  const line = parseCommandLine(COMMAND, ["--hours", "2", "--name", "a", "--name", "b"], {
    TOKEN: "t",
  }, output);
  assert.ok(typeof line === "object");
  assert.deepEqual({ ...line.flags }, { hours: "2", out: "x.jsonl", name: ["a", "b"] });
  assert.deepEqual(line.config, { PORT: 8000, TOKEN: "t" });
});

Deno.test("parseCommandLine() lets a flag stand for its variable and names the flag when it is bad", () => {
  const { lines, output } = capture();
  const line = parseCommandLine(COMMAND, ["--port", "9000"], { PORT: "1234" }, output);
  assert.ok(typeof line === "object");
  assert.equal(line.config.PORT, 9000, "the flag wins over the variable");
  assert.equal(parseCommandLine(COMMAND, ["--port", "x"], {}, output), 2);
  assert.equal(parseCommandLine(COMMAND, [], { PORT: "x" }, output), 2);
  assert.deepEqual(lines.err, [
    "Configuration error:\n  - --port is 'x': must be a number\nRun deno task demo --help for the options.",
    "Configuration error:\n  - PORT is 'x': must be a number\nRun deno task demo --help for the options.",
  ]);
});

Deno.test("parseCommandLine() prints the help for --help or -h and gives exit code 0", () => {
  for (const flag of ["--help", "-h"]) {
    const { lines, output } = capture();
    assert.equal(parseCommandLine(COMMAND, [flag], { PORT: "not checked" }, output), 0);
    assert.deepEqual(lines.out, [helpOf(COMMAND)]);
  }
});

Deno.test("parseCommandLine() names an unknown flag and gives exit code 2", () => {
  const { lines, output } = capture();
  assert.equal(parseCommandLine(COMMAND, ["--hourz", "2"], {}, output), 2);
  assert.deepEqual(lines.err, [
    "Configuration error:\n  - Unknown option '--hourz'\nRun deno task demo --help for the options.",
  ]);
});

Deno.test("helpOf() lists every flag, the variable it stands for with its default, and the variables", () => {
  assert.equal(
    helpOf(COMMAND),
    `Usage: deno task demo [options]

Does a demo.

Options:
  --hours <H>     how long
  --out <file>    where to write (default x.jsonl)
  --port <n>      port to listen on (PORT, default 8000)
  --name <value>  a name; repeat for more
  --quiet         say less
  -h, --help      show this help

Environment: PORT TOKEN (see the README's configuration table)

Example: deno task demo --hours 2`,
  );
});

Deno.test("createFlagCheck() collects every bad or missing number and reports them at once", () => {
  const { lines, output } = capture();
  const check = createFlagCheck(COMMAND, output);
  assert.equal(check.number("hours", "3", (n) => n > 0), 3);
  check.number("seed", "x", Number.isInteger);
  check.number("devices", undefined, (n) => n > 0);
  check.number("later", undefined, (n) => n > 0, { optional: true });
  check.number("window", " ", (n) => n >= 0, { must: "a number" });
  check.expect(false, "--out is required");
  assert.equal(check.report(), true);
  assert.deepEqual(lines.err, [
    "Configuration error:\n  - --seed 'x' is not valid\n  - --devices is required\n  - --window ' ' is not valid: must be a number\n  - --out is required\nRun deno task demo --help for the options.",
  ]);
  assert.equal(createFlagCheck(COMMAND, output).report(), false);
});
