import assert from "node:assert/strict";
import { CommandError } from "./command_error.ts";
import { serveHttp } from "./serve_http.ts";

Deno.test("serveHttp() serves on HOST:PORT and says where", async () => {
  const server = serveHttp({ HOST: "127.0.0.1", PORT: 0 }, () => new Response("ok"));
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await (await fetch(server.url)).text(), "ok");
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveHttp() names PORT when the port is taken", () => {
  using blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = blocker.addr.port;
  assert.throws(
    () => serveHttp({ HOST: "127.0.0.1", PORT: port }, () => new Response()),
    (error: unknown) => {
      assert.ok(error instanceof CommandError);
      assert.equal(error.exitCode, 1);
      assert.equal(
        error.message,
        `PORT ${port} on 127.0.0.1 is in use: stop what holds it or set PORT to another port`,
      );
      return true;
    },
  );
});

Deno.test("serveHttp() names HOST when it is not an address of this machine (exit 2)", () => {
  assert.throws(
    () => serveHttp({ HOST: "192.0.2.1", PORT: 0 }, () => new Response()), // TEST-NET-1, never local
    (error: unknown) =>
      error instanceof CommandError && error.exitCode === 2 &&
      /^HOST 192\.0\.2\.1 is not an address of this machine/.test(error.message),
  );
});

Deno.test("serveHttp() names the variables it is given (METRICS_PORT) when the port is taken", () => {
  using blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = blocker.addr.port;
  assert.throws(
    () =>
      serveHttp({ HOST: "127.0.0.1", PORT: port }, () => new Response(), {
        names: { host: "METRICS_HOST", port: "METRICS_PORT" },
      }),
    new RegExp(
      `METRICS_PORT ${port} on 127\\.0\\.0\\.1 is in use: stop what holds it or set METRICS_PORT`,
    ),
  );
});
