import assert from "node:assert/strict";
import { fixtureTree } from "../../testing/fixture_tree.ts";
import { createCommandRunner } from "./command_runner.ts";
import { machineRoot } from "./fixtures/machine_fixture.ts";

Deno.test("createCommandRunner() runs a command of the machine under its root", async () => {
  const run = createCommandRunner({ root: machineRoot("pi4_undervoltage") });
  assert.deepEqual(await run("vcgencmd", ["get_throttled"]), {
    ok: true,
    stdout: "throttled=0x50005",
  });
});

Deno.test("createCommandRunner() says why a command gave nothing", async (t) => {
  await t.step("missing under a fixture root, never taken from the host's PATH", async () => {
    const run = createCommandRunner({ root: machineRoot("pi3_no_vcgencmd") });
    const result = await run("sh", ["-c", "echo host"]);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, "missing");
  });
  await t.step("a non-zero exit, with what it printed", async () => {
    const run = createCommandRunner({ root: machineRoot("pi4_undervoltage") });
    assert.deepEqual(await run("vcgencmd", ["bogus"]), {
      ok: false,
      reason: "failed",
      message: 'vcgencmd bogus exited with 2: error=2 error_msg="Command not registered"',
    });
  });
  await t.step("a command that hangs is killed after the time limit", async () => {
    await using tree = await fixtureTree({ "/usr/bin/hang": "#!/bin/sh\nexec sleep 5\n" });
    await Deno.chmod(`${tree.root}/usr/bin/hang`, 0o755);
    const run = createCommandRunner({ root: tree.root, timeoutMs: 50 });
    assert.deepEqual(await run("hang", []), {
      ok: false,
      reason: "failed",
      message: "hang did not answer within 50 ms",
    });
  });
  await t.step("PATH is searched when the root is /", async () => {
    const run = createCommandRunner({ root: "/" });
    assert.deepEqual(await run("sh", ["-c", "echo host"]), { ok: true, stdout: "host" });
  });
});

Deno.test("createCommandRunner() checks its time limit", () => {
  assert.throws(
    () => createCommandRunner({ root: "/", timeoutMs: 0 }),
    /'timeoutMs' must be at least 10, got 0/,
  );
});
