import assert from "node:assert/strict";
import { startServerProcess } from "./start_server_process.ts";

/** A deno child that serves "ok" on the port it is given, saying `listening` on stdout first. */
const SERVE = `Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[0]),
  onListen: () => console.log("listening"),
}, () => new Response("ok"));
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));`;

const deno = (code: string) => ({
  command: Deno.execPath(),
  args: (port: number) => ["eval", code, String(port)],
});

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint);
    return (await response.text()) === "ok";
  } catch {
    return false; // not listening
  }
}

Deno.test("startServerProcess() waits until the server serves on a free port, and close() stops it", async (t) => {
  await t.step("ready by a line of its output", async () => {
    const server = await startServerProcess({
      name: "test server",
      ...deno(SERVE),
      ready: { output: "listening" },
      stdout: true,
    });
    assert.equal(server.endpoint, `http://127.0.0.1:${server.port}`);
    assert.ok(await answers(server.endpoint));
    await server.close();
    await server.close();
    assert.equal(await answers(server.endpoint), false);
  });
  await t.step("ready when a probe answers", async () => {
    await using server = await startServerProcess({
      name: "test server",
      ...deno(`setTimeout(() => { ${SERVE} }, 300)`),
      ready: { probe: answers },
    });
    assert.ok(await answers(server.endpoint));
  });
});

Deno.test("startServerProcess() names a server that exits before serving, with its output", async () => {
  await assert.rejects(
    startServerProcess({
      name: "test server",
      ...deno("console.error('no such table'); Deno.exit(4)"),
      ready: { output: "listening" },
    }),
    /^Error: test server exited with code 4 before serving:\nno such table\n$/,
  );
});

Deno.test("startServerProcess() stops a server that does not serve in time and says so", async () => {
  await assert.rejects(
    startServerProcess({
      name: "test server",
      ...deno("console.error('starting'); setTimeout(() => {}, 60_000)"),
      ready: { probe: answers },
      startTimeoutMs: 300,
    }),
    /^Error: test server did not answer on http:\/\/127\.0\.0\.1:\d+ within 300 ms:\nstarting\n$/,
  );
});
