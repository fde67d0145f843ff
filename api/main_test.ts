import assert from "node:assert/strict";
import { spawnDeno } from "../testing/spawn_deno.ts";
import { waitUntil } from "../testing/wait_until.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** `deno task serve` as a user runs it (the task's own permissions), its stderr collected. */
function serve(env: Record<string, string>, args: string[] = []) {
  const child = spawnDeno(["task", "serve", ...args], { env });
  return {
    ...child,
    /** The program's own lines: without the `Task serve ...` echo of deno task. */
    own: () => child.lines.filter((line) => !/^Task serve /.test(line)),
  };
}

/** A store folder under ./data, where the task may write; removed afterwards. */
function aStoreUnderData(): { dir: string } & AsyncDisposable {
  const dir = `./data/serve-test-${crypto.randomUUID()}`;
  return {
    dir,
    [Symbol.asyncDispose]: () =>
      Deno.remove(`${ROOT}/${dir}`, { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error; // never created
      }),
  };
}

Deno.test("deno task serve with DATA_DIR outside ./data says so in one line naming DATA_DIR (exit 2)", async () => {
  const outside = await Deno.makeTempDir({ prefix: "serve-outside-" });
  try {
    await using child = serve({ DATA_DIR: outside, PORT: "0" });
    assert.equal(await child.exited(), 2);
    assert.deepEqual(child.own().length, 1, child.lines.join("\n"));
    assert.match(
      child.own()[0]!,
      new RegExp(
        `error serve: cannot start: DATA_DIR is '${outside}', where this command may not write: .* --allow-write=${outside} `,
      ),
    );
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("deno task serve with its port taken says so in one line naming PORT (exit 1)", async () => {
  using blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  await using store = aStoreUnderData();
  await using child = serve({ DATA_DIR: store.dir, PORT: String(blocker.addr.port) });
  assert.equal(await child.exited(), 1);
  assert.deepEqual(child.own(), [
    child.own()[0]!.slice(0, 25) +
    `error serve: cannot start: PORT ${blocker.addr.port} on 127.0.0.1 is in use: stop what holds it or set PORT to another port`,
  ]);
});

Deno.test("deno task serve stops on SIGTERM and exits 0; --help lists its variables", async () => {
  await using store = aStoreUnderData();
  {
    await using child = serve({ DATA_DIR: store.dir, PORT: "0" });
    await waitUntil(() => child.lines.some((line) => /info {2}serve: listening /.test(line)), {
      what: "the listening line",
    });
    const url = /api=(\S+)/.exec(child.lines.find((l) => /listening/.test(l))!)![1]!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const devices = await fetch(`${url}/devices`);
    assert.equal(devices.status, 200);
    assert.deepEqual(await devices.json(), { items: [], next_cursor: null });
    const mute = await fetch(`${url}/devices/none/mute`, { method: "DELETE" });
    assert.equal(mute.status, 404, "a write on loopback without a token reaches the route");
    await mute.body?.cancel();
    child.kill("SIGTERM");
    assert.equal(await child.exited(), 0, child.lines.join("\n"));
    assert.match(child.lines.at(-1)!, /info {2}serve: stopped$/);
  }
  await using help = serve({}, ["--help"]);
  assert.equal(await help.exited(), 0);
  assert.match(help.stdout.join("\n"), /^Usage: deno task serve/);
  assert.match(
    help.stdout.join("\n"),
    /Environment: HOST PORT DATA_DIR KV_PATH STORE DYNAMODB_TABLE/,
  );
  assert.match(help.stdout.join(" "), / API_TOKEN ALLOWED_HOSTS CORS_ORIGINS /);
});

Deno.test("deno task serve beyond loopback without API_TOKEN refuses to start, saying how to set one (exit 2)", async () => {
  await using store = aStoreUnderData();
  await using child = serve({ DATA_DIR: store.dir, PORT: "0", HOST: "0.0.0.0" });
  assert.equal(await child.exited(), 2);
  assert.equal(child.own().length, 1, child.lines.join("\n"));
  assert.match(
    child.own()[0]!,
    /error serve: cannot start: HOST 0\.0\.0\.0 listens beyond this machine and API_TOKEN is not set: set API_TOKEN to a secret of 16 characters or more \(e\.g\. API_TOKEN=\$\(openssl rand -hex 24\)\)/,
  );
});

Deno.test("deno task serve with API_TOKEN on 0.0.0.0 answers with the token only", async () => {
  await using store = aStoreUnderData();
  const token = "main-test-token-0123456789";
  await using child = serve({ DATA_DIR: store.dir, PORT: "0", HOST: "0.0.0.0", API_TOKEN: token });
  await waitUntil(() => child.lines.some((line) => /listening /.test(line)), {
    what: "the listening line",
  });
  const port =
    /api=http:\/\/0\.0\.0\.0:(\d+)/.exec(child.lines.find((l) => /listening/.test(l))!)![1];
  const url = `http://127.0.0.1:${port}/v1/devices`;
  const without = await fetch(url);
  assert.equal(without.status, 401);
  await without.body?.cancel();
  const withToken = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(withToken.status, 200);
  await withToken.body?.cancel();
  child.kill("SIGTERM");
  assert.equal(await child.exited(), 0);
});

/** `deno serve api/main.ts` as Deno Deploy would run it: the default export, the task's permissions. */
function denoServe(env: Record<string, string>, host: string) {
  return spawnDeno([
    "serve",
    "--allow-read=.",
    "--allow-write=./data",
    "--allow-net",
    "--allow-env",
    "--allow-sys=osRelease",
    "--host",
    host,
    "--port",
    "0",
    "api/main.ts",
  ], { env, stdout: "merged" });
}

Deno.test("deno serve api/main.ts runs the default export: on loopback it answers without a token", async () => {
  await using store = aStoreUnderData();
  await using child = denoServe({ DATA_DIR: store.dir }, "127.0.0.1");
  await waitUntil(() => child.lines.some((line) => /serve: listening api=/.test(line)), {
    what: "the listening line",
  });
  const api = /api=(\S+)/.exec(child.lines.find((l) => /serve: listening/.test(l))!)![1]!;
  const res = await fetch(`${api}/v1/devices`);
  assert.equal(res.status, 200, child.lines.join("\n"));
  assert.deepEqual(await res.json(), { items: [], next_cursor: null });
  await waitUntil(() => child.lines.some((line) => /serve: started store=/.test(line)), {
    what: "the started line",
  });
  assert.ok(!child.lines.some((line) => /Usage: deno task serve/.test(line)), "no harness");
});

Deno.test("deno serve api/main.ts on 0.0.0.0 without API_TOKEN exits 2 saying how to set one", async () => {
  await using store = aStoreUnderData();
  await using child = denoServe({ DATA_DIR: store.dir }, "0.0.0.0");
  assert.equal(await child.exited(), 2);
  assert.ok(
    child.lines.some((line) =>
      /cannot start: HOST 0\.0\.0\.0 listens beyond .*API_TOKEN/.test(line)
    ),
    child.lines.join("\n"),
  );
});
