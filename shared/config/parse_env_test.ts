import assert from "node:assert/strict";
import { z } from "zod";
import {
  bothOrNeither,
  composeEnv,
  ConfigError,
  envDuration,
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

Deno.test("parseEnv() names a bad secret without repeating its value", () => {
  const Secrets = z.object({ TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:\w+$/) });
  assert.throws(
    () => parseEnv(Secrets, { TELEGRAM_BOT_TOKEN: "123:abc-leaked\n" }),
    (error: Error) =>
      /TELEGRAM_BOT_TOKEN is set \(value not shown\)/.test(error.message) &&
      !error.message.includes("leaked"),
  );
});

Deno.test("envDuration() reads 90s, 5m, 2h, 1d, 500ms and plain seconds, within bounds", () => {
  const Durations = z.object({ MAX_AGE: envDuration(1000, 86_400_000) });
  const ms = (text: string) => parseEnv(Durations, { MAX_AGE: text }).MAX_AGE;
  assert.equal(ms("90s"), 90_000);
  assert.equal(ms("5m"), 300_000);
  assert.equal(ms("2h"), 7_200_000);
  assert.equal(ms("1d"), 86_400_000);
  assert.equal(ms("1500ms"), 1500);
  assert.equal(ms("300"), 300_000);
  assert.throws(
    () => ms("five minutes"),
    /MAX_AGE is 'five minutes': must be a duration like 90s, 5m or 2h/,
  );
  assert.throws(() => ms("2d"), /MAX_AGE is '2d': must be from 1s to 1d/);
});
