import assert from "node:assert/strict";
import { spawnDeno } from "./spawn_deno.ts";

const print = (code: string) => ["eval", code];

Deno.test("spawnDeno() collects stderr and stdout in lines and gives the exit code", async (t) => {
  const code = "console.log('out 1\\nout 2'); console.error('err'); Deno.exit(3)";
  await t.step("stdout in its own list by default", async () => {
    await using child = spawnDeno(print(code));
    assert.equal(await child.exited(), 3);
    assert.deepEqual(child.lines, ["err"]);
    assert.deepEqual(child.stdout, ["out 1", "out 2"]);
  });
  await t.step("merged with stderr", async () => {
    await using child = spawnDeno(print(code), { stdout: "merged" });
    assert.equal(await child.exited(), 3);
    assert.deepEqual(child.lines.toSorted(), ["err", "out 1", "out 2"]);
    assert.deepEqual(child.stdout, []);
  });
  await t.step("or ignored", async () => {
    await using child = spawnDeno(print(code), { stdout: "ignored" });
    assert.equal(await child.exited(), 3);
    assert.deepEqual(child.lines, ["err"]);
    assert.deepEqual(child.stdout, []);
  });
});

Deno.test("spawnDeno() gives the child NO_COLOR and env, and only those with clearEnv", async () => {
  const code = "console.log(JSON.stringify(Object.keys(Deno.env.toObject()).sort()))";
  await using child = spawnDeno(print(code), {
    env: { ONLY_THIS: "1" },
    clearEnv: true,
  });
  assert.equal(await child.exited(), 0, child.lines.join("\n"));
  const names: string[] = JSON.parse(child.stdout[0]!);
  assert.ok(names.includes("NO_COLOR") && names.includes("ONLY_THIS"), names.join(" "));
  assert.ok(Deno.env.get("HOME") !== undefined && !names.includes("HOME"), "not ours");
});

Deno.test("spawnDeno().waitFor() resolves on a matching line and fails listing the lines it saw", async () => {
  await using child = spawnDeno(
    print("console.error('ready'); setTimeout(() => {}, 60_000)"),
  );
  await child.waitFor(/^ready$/);
  await assert.rejects(
    child.waitFor(/never printed/, { timeoutMs: 50 }),
    /waiting for \/never printed\/; its lines:\nready$/,
  );
  child.kill("SIGTERM");
  assert.equal(await child.exited(), 143);
});

Deno.test("disposing of a spawnDeno() child kills it if it still runs, and is quiet if it ended", async () => {
  let pid: number;
  {
    await using child = spawnDeno(print("setTimeout(() => {}, 60_000)"));
    pid = child.pid;
  }
  assert.throws(() => Deno.kill(pid, "SIGCONT"), Deno.errors.NotFound);
  await using ended = spawnDeno(print("0"));
  assert.equal(await ended.exited(), 0);
});
