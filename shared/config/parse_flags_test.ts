import assert from "node:assert/strict";
import { createFlagCheck, parseFlags } from "./parse_flags.ts";

const OPTIONS = {
  hours: { type: "string" },
  out: { type: "string", default: "x.jsonl" },
  help: { type: "boolean" },
} as const;

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: { out: (t: string) => lines.out.push(t), err: (t: string) => lines.err.push(t) },
  };
}

Deno.test("parseFlags() gives the values with their defaults", () => {
  assert.deepEqual({ ...parseFlags(["--hours", "2"], OPTIONS, "usage") as object }, {
    hours: "2",
    out: "x.jsonl",
  });
});

Deno.test("parseFlags() prints the usage for --help and gives exit code 0", () => {
  const { lines, output } = capture();
  assert.equal(parseFlags(["--help"], OPTIONS, "usage text", output), 0);
  assert.deepEqual(lines.out, ["usage text"]);
});

Deno.test("parseFlags() names an unknown flag, prints the usage and gives exit code 2", () => {
  const { lines, output } = capture();
  assert.equal(parseFlags(["--hourz", "2"], OPTIONS, "usage text", output), 2);
  assert.match(lines.err[0]!, /--hourz[\s\S]*usage text$/);
});

Deno.test("createFlagCheck() collects every bad or missing number and reports them at once", () => {
  const { lines, output } = capture();
  const check = createFlagCheck(output);
  assert.equal(check.number("hours", "3", (n) => n > 0), 3);
  check.number("seed", "x", Number.isInteger);
  check.number("devices", undefined, (n) => n > 0);
  check.number("later", undefined, (n) => n > 0, { optional: true });
  check.number("window", " ", (n) => n >= 0);
  check.expect(false, "--out is required");
  assert.equal(check.report("usage"), true);
  assert.deepEqual(lines.err, [
    "--seed 'x' is not valid\n--devices is required\n--window ' ' is not valid\n--out is required\n\nusage",
  ]);
  assert.equal(createFlagCheck(output).report("usage"), false);
});
