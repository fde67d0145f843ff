import assert from "node:assert/strict";
import { CommandError } from "../entry_point/command_error.ts";
import { lockStore } from "./store_lock.ts";

async function aStoreDir(): Promise<{ kvPath: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "store-lock-" });
  return {
    kvPath: `${dir}/data/monitor.kv`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("lockStore() refuses a second holder, naming the first's pid, until it is released", async () => {
  await using dir = await aStoreDir();
  const first = await lockStore(dir.kvPath);
  assert.equal(first.path, `${dir.kvPath}.lock`);
  assert.equal(JSON.parse(await Deno.readTextFile(first.path)).pid, Deno.pid);
  await assert.rejects(
    lockStore(dir.kvPath),
    (error: unknown) =>
      error instanceof CommandError &&
      error.message.startsWith(`${dir.kvPath} is in use by pid ${Deno.pid} on `),
  );
  await first.release();
  const second = await lockStore(dir.kvPath);
  await second.release();
  await assert.rejects(Deno.stat(second.path), Deno.errors.NotFound);
});

Deno.test("lockStore() takes over the lock of a process that is gone, or of a reused pid", async (t) => {
  await using dir = await aStoreDir();
  const running = new Map([[7, "1000"], [8, "2000"]]);
  const processStart = (pid: number) => Promise.resolve(running.get(pid) ?? null);
  await t.step("the holder is gone", async () => {
    const killed = await lockStore(dir.kvPath, {
      pid: 9,
      processStart: () => Promise.resolve("5"),
    });
    assert.ok(killed.path); // pid 9 is not running by `processStart`: its lock is stale
    const mine = await lockStore(dir.kvPath, { pid: 7, processStart });
    assert.equal(JSON.parse(await Deno.readTextFile(mine.path)).pid, 7);
    await mine.release();
  });
  await t.step("the pid now belongs to another process", async () => {
    await lockStore(dir.kvPath, { pid: 8, processStart: () => Promise.resolve("1500") });
    const mine = await lockStore(dir.kvPath, { pid: 7, processStart });
    await mine.release();
  });
  await t.step("a damaged lock file", async () => {
    await Deno.writeTextFile(`${dir.kvPath}.lock`, "{ half writ");
    const mine = await lockStore(dir.kvPath, { pid: 7, processStart });
    await mine.release();
  });
  await t.step("a running holder on another machine is kept", async () => {
    await lockStore(dir.kvPath, { pid: 8, hostname: "other", processStart });
    await assert.rejects(
      lockStore(dir.kvPath, { pid: 7, processStart }),
      /in use by pid 8 on other/,
    );
  });
});

Deno.test("lockStore() leaves a lock it no longer holds in place on release", async () => {
  await using dir = await aStoreDir();
  const processStart = () => Promise.resolve(null);
  const first = await lockStore(dir.kvPath, { pid: 1, processStart });
  const second = await lockStore(dir.kvPath, { pid: 2, processStart }); // took the stale one over
  await first.release();
  assert.equal(JSON.parse(await Deno.readTextFile(second.path)).pid, 2);
});
