import assert from "node:assert/strict";
import { z } from "zod";
import {
  bothOrNeither,
  composeEnv,
  ConfigError,
  envInt,
  envNumberMap,
  parseEnv,
  parseEnvOrReport,
} from "./parse_env.ts";

const Schema = z.object({
  PORT: envInt(1, 65535).default(8000),
  HOT_LIMITS: envNumberMap(30, 120).default({}),
  TOKEN: z.string({ error: "is required" }),
});

Deno.test("parseEnv() applies defaults and converts values", () => {
  assert.deepEqual(parseEnv(Schema, { TOKEN: "t", HOT_LIMITS: "pc1=85, pi=80" }), {
    PORT: 8000,
    HOT_LIMITS: { pc1: 85, pi: 80 },
    TOKEN: "t",
  });
});

Deno.test("parseEnv() names every missing or bad variable", () => {
  let caught: unknown;
  try {
    parseEnv(Schema, { PORT: "http", HOT_LIMITS: "pc1=500" });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ConfigError);
  assert.match(caught.message, /^Configuration error:\n {2}- PORT/);
  assert.deepEqual(caught.problems, [
    "PORT is 'http': must be a number",
    "HOT_LIMITS is 'pc1=500': 'pc1=500' must be name=number with the number from 30 to 120",
    "TOKEN is not set: is required",
  ]);
});

Deno.test("parseEnv() treats an empty variable as unset", () => {
  assert.throws(() => parseEnv(Schema, { TOKEN: "" }), /TOKEN is not set: is required/);
  assert.equal(parseEnv(Schema, { TOKEN: "x", PORT: "" }).PORT, 8000);
});

Deno.test("parseEnvOrReport() reports every bad variable and gives null", () => {
  const lines: string[] = [];
  assert.equal(parseEnvOrReport(Schema, { PORT: "x" }, (line) => lines.push(line)), null);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /PORT is 'x': must be a number\n {2}- TOKEN is not set/);
  assert.deepEqual(parseEnvOrReport(Schema, { TOKEN: "t" }, () => {}), {
    PORT: 8000,
    HOT_LIMITS: {},
    TOKEN: "t",
  });
});

Deno.test("composeEnv() joins pieces and keeps every piece's own checks", () => {
  const Credentials = z.object({ USER: z.string().optional(), PASSWORD: z.string().optional() })
    .superRefine(bothOrNeither("USER", "PASSWORD"));
  const Port = z.object({ PORT: envInt(1, 65535).default(8000) });
  const Composed = composeEnv(Port, Credentials);
  assert.deepEqual(parseEnv(Composed, {}), { PORT: 8000, USER: undefined, PASSWORD: undefined });
  assert.throws(
    () => parseEnv(Composed, { USER: "u" }),
    /PASSWORD is not set: USER and PASSWORD go together/,
  );
  assert.throws(() => parseEnv(Composed, { PORT: "x" }), /PORT is 'x': must be a number/);
});

Deno.test("composeEnv() refuses two pieces that both define a variable", () => {
  const A = z.object({ PORT: z.string() });
  assert.throws(() => composeEnv(A, A), /PORT is in two of them/);
});
