import assert from "node:assert/strict";
import { envNames, execForm, ignoredByDockerignore, parseDockerfile } from "./dockerfile.ts";

Deno.test("parseDockerfile() joins continued lines and drops comments", () => {
  const instructions = parseDockerfile(`# comment
FROM denoland/deno:debian-2.9.6

RUN deno install \\
  # a comment inside a continued instruction
  --frozen
CMD ["deno", "run", "x.ts"]
`);
  assert.deepEqual(instructions, [
    { keyword: "FROM", args: "denoland/deno:debian-2.9.6", line: 2 },
    { keyword: "RUN", args: "deno install --frozen", line: 4 },
    { keyword: "CMD", args: `["deno", "run", "x.ts"]`, line: 7 },
  ]);
});

Deno.test("execForm() reads the JSON form and tells the shell form apart", () => {
  assert.deepEqual(execForm(`["deno", "run"]`), ["deno", "run"]);
  assert.equal(execForm("deno run x.ts"), null);
  assert.throws(() => execForm(`["deno", 1]`), SyntaxError);
});

Deno.test("envNames() names the variables of both ENV forms", () => {
  assert.deepEqual(envNames('A=1 B_2="x y"'), ["A", "B_2"]);
  assert.deepEqual(envNames("METRICS_PORT 9464"), ["METRICS_PORT"]);
});

Deno.test("ignoredByDockerignore() follows Docker's pattern rules", () => {
  const patterns = ["data", "**/*_test.ts", ".cache/", "models/*", "!models/trained", "# note"];
  assert.equal(ignoredByDockerignore(patterns, "data/monitor.kv"), true);
  assert.equal(ignoredByDockerignore(patterns, "consumer/main_test.ts"), true);
  assert.equal(ignoredByDockerignore(patterns, "main_test.ts"), true);
  assert.equal(ignoredByDockerignore(patterns, ".cache/kafka-test-broker/bin/x"), true);
  assert.equal(ignoredByDockerignore(patterns, "consumer/main.ts"), false);
  assert.equal(ignoredByDockerignore(patterns, "models/features.ts"), true);
  assert.equal(ignoredByDockerignore(patterns, "models/trained/pc.onnx"), false);
  assert.equal(ignoredByDockerignore(patterns, "database/x"), false);
});
