import assert from "node:assert/strict";
import { spawnDeno } from "../testing/spawn_deno.ts";

async function aDataDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "start-main-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

const quick = (dataDir: string) => ({ PORT: "0", DATA_DIR: dataDir, SAMPLE_INTERVAL_S: "0.5" });

Deno.test("deno task start: Ctrl-C in a terminal (SIGINT to deno task and its child) stops cleanly, exit 0", async () => {
  await using data = await aDataDir();
  for (let run = 1; run <= 2; run++) {
    // A terminal signals the whole process group: deno task forwards the SIGINT, so the
    // system gets two. The second must not cut the stop short (it used to exit 130).
    await using start = spawnDeno(["task", "start"], { env: quick(data.path), setsid: true });
    await start.waitFor(/info {2}started /);
    Deno.kill(-start.pid, "SIGINT");
    const code = await start.exited();
    assert.equal(code, 0, `run ${run}:\n${start.lines.join("\n")}`);
    assert.ok(start.lines.some((line) => /info {2}stopped$/.test(line)), start.lines.join("\n"));
  }
});

Deno.test("start/main.ts ignores a second signal during the stop, and one after it, and exits 0", async () => {
  await using data = await aDataDir();
  await using start = spawnDeno(["run", "-A", "start/main.ts"], { env: quick(data.path) });
  await start.waitFor(/info {2}started /);
  // Two kinds, so the kernel cannot merge them into one pending signal.
  Deno.kill(start.pid, "SIGINT");
  Deno.kill(start.pid, "SIGTERM");
  await start.waitFor(/info {2}stopped$/);
  try {
    Deno.kill(start.pid, "SIGINT"); // late, while the process exits
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error; // it was quicker
  }
  assert.equal(await start.exited(), 0, start.lines.join("\n"));
  const after = start.lines.slice(start.lines.findIndex((l) => /stopping signal=/.test(l)));
  assert.equal(after.filter((l) => /stopping signal=/.test(l)).length, 1, "one clean stop");
  assert.ok(
    after.some((l) => /(SIGINT|SIGTERM) again: still stopping cleanly/.test(l)),
    after.join("\n"),
  );
  assert.match(after.at(-1)!, /info {2}stopped$/);
  assert.ok(start.stdout.some((line) => /Swagger: http:\/\/127\.0\.0\.1:\d+\/docs/.test(line)));
});

Deno.test("a second start on the same data refuses, naming the first's pid, and exits 1", async () => {
  await using data = await aDataDir();
  await using first = spawnDeno(["run", "-A", "start/main.ts"], { env: quick(data.path) });
  await first.waitFor(/info {2}started /);
  await using second = spawnDeno(["run", "-A", "start/main.ts"], { env: quick(data.path) });
  assert.equal(await second.exited(), 1, second.lines.join("\n"));
  const refusal = second.lines.filter((line) => /error/.test(line));
  assert.equal(refusal.length, 1, second.lines.join("\n"));
  assert.match(
    refusal[0]!,
    new RegExp(`cannot start: .*monitor\\.kv is in use by pid ${first.pid} `),
  );
  Deno.kill(first.pid, "SIGTERM");
  assert.equal(await first.exited(), 0, "the first one is untouched");
});

Deno.test("deno task start --help lists its flags and variables; a bad HOST is named (exit 2)", async () => {
  await using help = spawnDeno(["task", "start", "--help"]);
  assert.equal(await help.exited(), 0);
  assert.match(help.stdout.join("\n"), /--simulate <N> +add N simulated devices/);
  assert.match(help.stdout.join("\n"), /Environment: HOST PORT DATA_DIR/);
  await using host = spawnDeno(["run", "-A", "start/main.ts"], { env: { HOST: "not-a-host" } });
  assert.equal(await host.exited(), 2);
  assert.ok(host.lines.some((line) => /HOST is 'not-a-host': must be an IP address/.test(line)));
});
