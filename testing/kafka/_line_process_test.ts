import assert from "node:assert/strict";
import { spawnLineProcess } from "./_line_process.ts";

function sh(script: string, startTimeoutMs = 5_000) {
  return spawnLineProcess({
    name: "test peer",
    command: "sh",
    args: ["-c", script],
    startTimeoutMs,
    killAfterMs: 500,
  });
}

Deno.test("spawnLineProcess() reads the greeting and pairs each request with its reply", async () => {
  const peer = await sh(`echo hello; while read line; do echo "re $line"; done`);
  try {
    assert.equal(peer.greeting, "hello");
    assert.deepEqual(await Promise.all([peer.request("a"), peer.request("b"), peer.request("c")]), [
      "re a",
      "re b",
      "re c",
    ]);
  } finally {
    await peer.close();
  }
});

Deno.test("spawnLineProcess() reports the exit code and stderr of a process that dies", async (t) => {
  await t.step("before its greeting", async () => {
    await assert.rejects(
      sh(`echo "no such broker" >&2; exit 3`),
      /test peer exited \(code 3\).*\n.*no such broker/,
    );
  });
  await t.step("with a request pending", async () => {
    const peer = await sh(`echo hello; read line; echo "bad $line" >&2; exit 4`);
    try {
      await assert.rejects(peer.request("down 1"), /test peer exited \(code 4\).*\n.*bad down 1/);
      await assert.rejects(peer.request("up 1"), /test peer is closed; cannot send 'up 1'/);
    } finally {
      await peer.close();
    }
  });
});

Deno.test("spawnLineProcess() kills a process that stays silent past the start timeout", async () => {
  await assert.rejects(sh("exec sleep 30", 100), /test peer printed nothing within 100 ms/);
});

Deno.test("spawnLineProcess() SIGKILLs a process that ignores its closed stdin", async () => {
  const peer = await sh(`echo hello; exec sleep 30`);
  await peer.close();
  await assert.rejects(Deno.stat(`/proc/${peer.pid}`), Deno.errors.NotFound);
});
