import assert from "node:assert/strict";
import type { OpenedStore, OpenStoreDeps } from "../shared/store/open_store.ts";
import type { StoreEnv } from "../shared/store/store_config.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { createServeHandler, type ServeHandlerDeps } from "./serve_handler.ts";

const token = "0123456789abcdef0123";
const auth = { authorization: `Bearer ${token}` };
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1:8000${path}`, { headers });

/** A handler over an in-memory store, recording what it read, opened, logged and exited with. */
async function aHandler(env: Record<string, string>, options: Partial<ServeHandlerDeps> = {}) {
  const store = await aStoreWith([aPcReading({ device: "pc1" })]);
  const seen = {
    envReads: 0,
    opens: [] as OpenStoreDeps[],
    lines: [] as string[],
    exits: [] as number[],
    failOpens: 0,
  };
  const handler = createServeHandler({
    env: () => {
      seen.envReads++;
      return env;
    },
    write: (line) => seen.lines.push(line),
    exit: (code) => void seen.exits.push(code),
    service: {
      openStore: (_env: StoreEnv, deps: OpenStoreDeps = {}): Promise<OpenedStore> => {
        seen.opens.push(deps);
        if (seen.failOpens > 0) {
          seen.failOpens--;
          return Promise.reject(new Error("connect ECONNREFUSED 10.0.0.5:443"));
        }
        return Promise.resolve({ store, kind: "kv", where: "memory" });
      },
    },
    ...options,
  });
  return { handler, seen, [Symbol.asyncDispose]: () => store.close() };
}

Deno.test("the default export reads nothing at import: the environment and the store on the first request, once", async () => {
  await using h = await aHandler({ API_TOKEN: token });
  assert.equal(h.seen.envReads, 0);
  assert.equal(h.seen.opens.length, 0);
  const [a, b] = await Promise.all([
    h.handler.fetch(get("/v1/devices", auth)),
    h.handler.fetch(get("/v1/devices/pc1", auth)),
  ]);
  assert.equal(a.status, 200);
  assert.equal((await b.json()).device, "pc1");
  await a.body?.cancel();
  assert.equal(h.seen.envReads, 1);
  assert.equal(h.seen.opens.length, 1, "one store for concurrent first requests");
  assert.equal((await h.handler.fetch(get("/v1/devices"))).status, 401, "the token is required");
  assert.ok(h.seen.lines.some((line) => /info {2}serve: started store=memory/.test(line)));
});

Deno.test("the default export without API_TOKEN, where it cannot tell it is on loopback: every request 500 saying to set it", async () => {
  await using h = await aHandler({});
  const res = await h.handler.fetch(get("/v1/devices"));
  assert.equal(res.status, 500);
  const { error } = await res.json();
  assert.equal(error.code, "misconfigured");
  assert.match(error.message, /API_TOKEN is not set .*openssl rand -hex 24/);
  assert.equal((await h.handler.fetch(get("/health"))).status, 500);
  assert.equal(h.seen.opens.length, 0, "nothing opened");
});

Deno.test("under deno serve on loopback (onListen) it serves without a token; beyond loopback it exits 2", async (t) => {
  await t.step("127.0.0.1", async () => {
    await using h = await aHandler({});
    h.handler.onListen({ transport: "tcp", hostname: "127.0.0.1", port: 8123 });
    assert.deepEqual(h.seen.exits, []);
    assert.ok(h.seen.lines.some((l) => /listening api=http:\/\/127\.0\.0\.1:8123/.test(l)));
    assert.equal((await h.handler.fetch(get("/v1/devices/pc1"))).status, 200);
  });
  await t.step("0.0.0.0", async () => {
    await using h = await aHandler({});
    h.handler.onListen({ transport: "tcp", hostname: "0.0.0.0", port: 8123 });
    assert.deepEqual(h.seen.exits, [2]);
    assert.match(h.seen.lines.at(-1)!, /error serve: cannot start: HOST 0\.0\.0\.0 listens beyond/);
  });
});

Deno.test("the default export with a bad setting names the variable, never its value", async () => {
  await using h = await aHandler({ API_TOKEN: "tooshort-secret", LOG_LEVEL: "loud" });
  const res = await h.handler.fetch(get("/v1/devices"));
  assert.equal(res.status, 500);
  const { error } = await res.json();
  assert.equal(
    error.message,
    "The service cannot start: API_TOKEN, LOG_LEVEL (the service log says why)",
  );
  assert.ok(!JSON.stringify(error).includes("tooshort"));
  assert.ok(
    h.seen.lines.some((line) =>
      /API_TOKEN is set \(value not shown\): must be at least 16/.test(line)
    ),
    "the log says what is wrong with the token",
  );
  assert.ok(!h.seen.lines.some((line) => line.includes("tooshort")), "nor shows it in the log");
});

Deno.test("the default export answers 503 while the store cannot be opened, and tries again on the next request", async () => {
  await using h = await aHandler({ API_TOKEN: token });
  h.seen.failOpens = 1;
  const first = await h.handler.fetch(get("/v1/devices", auth));
  assert.equal(first.status, 503);
  const { error } = await first.json();
  assert.equal(error.code, "unavailable");
  assert.ok(!error.message.includes("10.0.0.5"), "no internals to the network");
  assert.ok(h.seen.lines.some((line) => /cannot open the store error=.*10\.0\.0\.5/.test(line)));
  const second = await h.handler.fetch(get("/v1/devices", auth));
  assert.equal(second.status, 200);
  await second.body?.cancel();
  assert.equal(h.seen.opens.length, 2);
});

Deno.test("on Deno Deploy (DENO_DEPLOYMENT_ID) Deno KV without KV_PATH is Deploy's own", async () => {
  await using deploy = await aHandler({ API_TOKEN: token, DENO_DEPLOYMENT_ID: "abc123" });
  await (await deploy.handler.fetch(get("/health"))).body?.cancel();
  assert.equal(deploy.seen.opens[0]?.platformKv, true);
  await using local = await aHandler({ API_TOKEN: token });
  await (await local.handler.fetch(get("/health"))).body?.cancel();
  assert.equal(local.seen.opens[0]?.platformKv, false);
});
