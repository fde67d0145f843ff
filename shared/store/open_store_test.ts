import assert from "node:assert/strict";
import { aPcReading } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { dynalitePeer, startDynalite } from "../../testing/dynalite/start_dynalite.ts";
import { parseEnv } from "../config/parse_env.ts";
import { initStore } from "./init_main.ts";
import { openStore } from "./open_store.ts";
import { StoreEnvSchema, storeKind } from "./store_config.ts";

const dynalite = await dynalitePeer();

Deno.test("StoreEnvSchema: KV by default, DynamoDB when a table is named or STORE says so", () => {
  const kv = parseEnv(StoreEnvSchema, {});
  assert.equal(storeKind(kv), "kv");
  assert.equal(kv.READINGS_TTL_DAYS, 30);
  assert.equal(storeKind(parseEnv(StoreEnvSchema, { DYNAMODB_TABLE: "sw1" })), "dynamodb");
  assert.equal(storeKind(parseEnv(StoreEnvSchema, { STORE: "kv", DYNAMODB_TABLE: "sw1" })), "kv");
  assert.throws(
    () => parseEnv(StoreEnvSchema, { STORE: "dynamodb" }),
    /DYNAMODB_TABLE is not set: is required with STORE=dynamodb/,
  );
  assert.throws(() => parseEnv(StoreEnvSchema, { STORE: "s3" }), /STORE is 's3': must be kv or/);
  assert.throws(
    () => parseEnv(StoreEnvSchema, { READINGS_TTL_DAYS: "0" }),
    /READINGS_TTL_DAYS is '0': must be at least 1/,
  );
  assert.throws(
    () => parseEnv(StoreEnvSchema, { DYNAMODB_TABLE: "a b" }),
    /DYNAMODB_TABLE is 'a b': must be 3-255 letters/,
  );
});

Deno.test("openStore() opens the Deno KV file under DATA_DIR by default", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { store, kind, where } = await openStore(parseEnv(StoreEnvSchema, { DATA_DIR: dir }));
    assert.equal(kind, "kv");
    assert.equal(where, `${dir}/monitor.kv`);
    await store.saveScored([aScored(aPcReading({ device: "kv1" }))]);
    assert.equal((await store.getDevice("kv1"))?.readings, 1);
    await store.close();
    await Deno.stat(where);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "openStore() opens DynamoDB after store:init, and says to run it when the table is missing",
  ignore: dynalite.ignore,
  fn: async () => {
    await using server = await startDynalite();
    const env = {
      DYNAMODB_TABLE: "stresswatch",
      DYNAMODB_ENDPOINT: server.endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    };
    await assert.rejects(
      openStore(parseEnv(StoreEnvSchema, env)),
      new Error(
        `Cannot open the store: DynamoDB table 'stresswatch' at ${server.endpoint} does not exist; ` +
          "create it with `deno task store:init`",
      ),
    );
    assert.equal(await initStore(env, { out: () => {}, sleep: () => Promise.resolve() }), 0);
    const { store, kind, where } = await openStore(parseEnv(StoreEnvSchema, env));
    assert.equal(kind, "dynamodb");
    assert.equal(where, `DynamoDB table 'stresswatch' at ${server.endpoint}`);
    await store.saveScored([aScored(aPcReading({ device: "cloud1" }))]);
    assert.equal((await store.getDevice("cloud1"))?.readings, 1);
    await store.close();
  },
});

Deno.test("openStore() takes a KV Connect URL as KV_PATH and opens it with Deno.openKv, no folder made", async () => {
  const url = "https://api.deno.com/databases/5e5f1d52-4c39-4d5b-8f0e-0b6c8b1a2c3d/connect";
  const env = parseEnv(StoreEnvSchema, { KV_PATH: url });
  assert.equal(env.KV_PATH, url, "the config accepts a URL");
  const opened: (string | undefined)[] = [];
  const openKv = (path?: string) => {
    opened.push(path);
    return Deno.openKv(":memory:");
  };
  const { store, kind, where } = await openStore(env, { openKv });
  try {
    assert.deepEqual(opened, [url]);
    assert.equal(kind, "kv");
    assert.equal(where, url);
    await store.saveScored([aScored(aPcReading({ device: "remote1" }))]);
    assert.equal((await store.getDevice("remote1"))?.readings, 1);
  } finally {
    await store.close();
  }
  await assert.rejects(Deno.stat("https:"), Deno.errors.NotFound, "no folder named after the URL");
});

Deno.test("openStore() with platformKv and no KV_PATH opens the platform's own KV (Deno.openKv())", async () => {
  const opened: (string | undefined)[] = [];
  const openKv = (path?: string) => {
    opened.push(path);
    return Deno.openKv(":memory:");
  };
  const bare = await openStore(parseEnv(StoreEnvSchema, {}), { platformKv: true, openKv });
  await bare.store.close();
  assert.deepEqual(opened, [undefined]);
  assert.equal(bare.where, "Deno Deploy's KV");
  const named = await openStore(parseEnv(StoreEnvSchema, { KV_PATH: ":memory:" }), {
    platformKv: true,
    openKv,
  });
  await named.store.close();
  assert.deepEqual(opened, [undefined, ":memory:"], "KV_PATH still wins");
});
