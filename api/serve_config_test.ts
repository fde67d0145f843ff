import assert from "node:assert/strict";
import { parseEnv } from "../shared/config/parse_env.ts";
import { createCursorSigner } from "./cursor_signer.ts";
import { accessOf, apiTokenProblem, cursorSecretOf, ServeConfigSchema } from "./serve_config.ts";

const parse = (env: Record<string, string>) => parseEnv(ServeConfigSchema, env);
const token = "0123456789abcdef0123";

Deno.test("ServeConfigSchema: defaults serve this machine from the KV file, no token, no CORS", () => {
  const config = parse({});
  assert.equal(config.HOST, "127.0.0.1");
  assert.equal(config.API_TOKEN, undefined);
  assert.equal(config.ALLOWED_HOSTS, undefined);
  assert.equal(config.CORS_ORIGINS, undefined);
  assert.equal(config.LEGACY_ROUTES_PUBLIC, false);
  assert.equal(config.DATA_DIR, "./data");
});

Deno.test("ServeConfigSchema: API_TOKEN, ALLOWED_HOSTS, CORS_ORIGINS and LEGACY_ROUTES_PUBLIC, each checked", async (t) => {
  await t.step("good values", () => {
    const config = parse({
      API_TOKEN: token,
      ALLOWED_HOSTS: "Stresswatch.example.deno.net, 127.0.0.1:8000,[::1]",
      CORS_ORIGINS: "https://dash.example,http://localhost:5173",
      LEGACY_ROUTES_PUBLIC: "true",
    });
    assert.equal(config.API_TOKEN, token);
    assert.deepEqual(config.ALLOWED_HOSTS, [
      "stresswatch.example.deno.net",
      "127.0.0.1:8000",
      "[::1]",
    ]);
    assert.deepEqual(config.CORS_ORIGINS, ["https://dash.example", "http://localhost:5173"]);
    assert.equal(config.LEGACY_ROUTES_PUBLIC, true);
    assert.equal(parse({ ALLOWED_HOSTS: "*" }).ALLOWED_HOSTS, "*");
  });
  const refused: [Record<string, string>, RegExp][] = [
    [
      { API_TOKEN: "short" },
      /API_TOKEN .*must be at least 16 characters: make one with `openssl rand -hex 24`/,
    ],
    [{ API_TOKEN: "has a space in it ok?" }, /API_TOKEN .*printable ASCII without spaces/],
    [{ ALLOWED_HOSTS: "http://a.example" }, /ALLOWED_HOSTS .*not: http:\/\/a\.example/],
    [{ ALLOWED_HOSTS: "a.example/path" }, /ALLOWED_HOSTS .*host names separated by commas/],
    [
      { CORS_ORIGINS: "https://dash.example/app" },
      /CORS_ORIGINS .*no path\); not: https:\/\/dash\.example\/app/,
    ],
    [{ CORS_ORIGINS: "*" }, /CORS_ORIGINS .*must be origins/],
    [{ LEGACY_ROUTES_PUBLIC: "yes" }, /LEGACY_ROUTES_PUBLIC is 'yes': must be true or false/],
  ];
  for (const [env, message] of refused) {
    await t.step(JSON.stringify(env), () => assert.throws(() => parse(env), message));
  }
});

Deno.test("ServeConfigSchema: KV_PATH may be a KV Connect URL (a Deploy database reached from elsewhere)", () => {
  const url = "https://api.deno.com/databases/5e5f1d52-4c39-4d5b-8f0e-0b6c8b1a2c3d/connect";
  assert.equal(parse({ KV_PATH: url }).KV_PATH, url);
});

Deno.test("ServeConfigSchema: DynamoDB settings are the consumer's", () => {
  const config = parse({ DYNAMODB_TABLE: "stresswatch", AWS_REGION: "eu-west-1" });
  assert.equal(config.DYNAMODB_TABLE, "stresswatch");
  assert.equal(config.AWS_REGION, "eu-west-1");
  assert.throws(() => parse({ STORE: "dynamodb" }), /DYNAMODB_TABLE is not set/);
  assert.throws(() => parse({ AWS_ACCESS_KEY_ID: "x" }), /go together/);
});

Deno.test("apiTokenProblem(): no token is fine on loopback only", () => {
  const none = parse({});
  assert.equal(apiTokenProblem(none, "127.0.0.1"), null);
  assert.equal(apiTokenProblem(none, "::1"), null);
  assert.equal(apiTokenProblem(none, "localhost"), null);
  assert.match(
    apiTokenProblem(none, "0.0.0.0")!,
    /^HOST 0\.0\.0\.0 listens beyond this machine and API_TOKEN is not set: set API_TOKEN .*openssl rand -hex 24.* or set HOST=127\.0\.0\.1/,
  );
  assert.match(apiTokenProblem(none, null)!, /reachable from the network \(Deno Deploy/);
  assert.equal(apiTokenProblem(parse({ API_TOKEN: token }), "0.0.0.0"), null);
  assert.equal(apiTokenProblem(parse({ API_TOKEN: token }), null), null);
});

Deno.test("accessOf(): loopback, hosts by default from the address listened on", () => {
  const local = accessOf(parse({}), "127.0.0.1");
  assert.equal(local.loopbackOnly, true);
  assert.deepEqual(local.allowedHosts, ["localhost", "127.0.0.1", "[::1]"]);
  const lan = accessOf(parse({ API_TOKEN: token }), "0.0.0.0");
  assert.equal(lan.loopbackOnly, false);
  assert.equal(lan.allowedHosts, "*");
  const deploy = accessOf(parse({ API_TOKEN: token, ALLOWED_HOSTS: "sw.example.deno.net" }), null);
  assert.equal(deploy.loopbackOnly, false);
  assert.deepEqual(deploy.allowedHosts, ["sw.example.deno.net"]);
});

Deno.test("cursorSecretOf(): every isolate with one API_TOKEN signs alike; without one, each process its own", async () => {
  const config = parse({ API_TOKEN: token });
  const a = createCursorSigner(cursorSecretOf(config));
  const b = createCursorSigner(cursorSecretOf(config));
  const signed = (await a.sign("devices", "eyJhZnRlciI6ImEifQ"))!;
  assert.equal(await b.open("devices", signed), "eyJhZnRlciI6ImEifQ");
  const c = createCursorSigner(cursorSecretOf(parse({})));
  const d = createCursorSigner(cursorSecretOf(parse({})));
  await assert.rejects(d.open("devices", (await c.sign("devices", "eyJhZnRlciI6ImEifQ"))!));
});
