import assert from "node:assert/strict";
import { parseEnv } from "./parse_env.ts";
import { kvPathOf, StoreEnv } from "./store_env.ts";

Deno.test("kvPathOf() is KV_PATH, else monitor.kv in DATA_DIR", () => {
  assert.equal(kvPathOf(parseEnv(StoreEnv, {})), "./data/monitor.kv");
  assert.equal(kvPathOf(parseEnv(StoreEnv, { DATA_DIR: "/srv/sw/" })), "/srv/sw/monitor.kv");
  assert.equal(kvPathOf(parseEnv(StoreEnv, { DATA_DIR: "/d", KV_PATH: "/k.kv" })), "/k.kv");
});
