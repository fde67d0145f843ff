import assert from "node:assert/strict";
import { storeKind, storeWhere } from "../store/store_config.ts";
import { AwsEnv } from "./aws_env.ts";
import { composeEnv, parseEnv } from "./parse_env.ts";
import { kvPathOf, StoreAdapterEnv, StoreEnv } from "./store_env.ts";

Deno.test("kvPathOf() is KV_PATH, else monitor.kv in DATA_DIR", () => {
  assert.equal(kvPathOf(parseEnv(StoreEnv, {})), "./data/monitor.kv");
  assert.equal(kvPathOf(parseEnv(StoreEnv, { DATA_DIR: "/srv/sw/" })), "/srv/sw/monitor.kv");
  assert.equal(kvPathOf(parseEnv(StoreEnv, { DATA_DIR: "/d", KV_PATH: "/k.kv" })), "/k.kv");
});

Deno.test("StoreAdapterEnv composes with StoreEnv and AwsEnv into what openStore() takes", () => {
  const Env = composeEnv(StoreEnv, StoreAdapterEnv, AwsEnv);
  const kv = parseEnv(Env, {});
  assert.equal(storeKind(kv), "kv");
  assert.equal(storeWhere(kv), "./data/monitor.kv");
  const dynamo = parseEnv(Env, {
    DYNAMODB_TABLE: "sw1",
    DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
  });
  assert.equal(storeKind(dynamo), "dynamodb");
  assert.equal(storeWhere(dynamo), "DynamoDB table 'sw1' at http://127.0.0.1:8000");
  assert.throws(
    () => parseEnv(Env, { STORE: "dynamodb" }),
    /DYNAMODB_TABLE is not set: is required with STORE=dynamodb/,
  );
});
