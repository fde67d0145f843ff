import assert from "node:assert/strict";
import { HttpEnv } from "./http_env.ts";
import { parseEnv } from "./parse_env.ts";

Deno.test("HttpEnv listens on 127.0.0.1:8000 by default", () => {
  assert.deepEqual(parseEnv(HttpEnv, {}), { HOST: "127.0.0.1", PORT: 8000 });
});

Deno.test("HttpEnv takes an address of this machine or localhost", () => {
  for (const host of ["0.0.0.0", "::", "::1", "192.168.1.20", "localhost"]) {
    assert.equal(parseEnv(HttpEnv, { HOST: host }).HOST, host);
  }
});

Deno.test("HttpEnv names HOST when it is not an address, and a bad PORT", () => {
  assert.throws(
    () => parseEnv(HttpEnv, { HOST: "not-a-host" }),
    /HOST is 'not-a-host': must be an IP address of this machine/,
  );
  assert.throws(() => parseEnv(HttpEnv, { PORT: "70000" }), /PORT is '70000': must be at most/);
});
