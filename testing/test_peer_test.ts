import assert from "node:assert/strict";
import { commandExists, testPeer } from "./test_peer.ts";

Deno.test("testPeer() runs tests when the peer is available", () => {
  assert.deepEqual(testPeer({ name: "x", available: true, install: "apt install x" }), {
    ignore: false,
  });
});

Deno.test("testPeer() fails under CI=true when the peer is missing", () => {
  assert.throws(
    () =>
      testPeer({
        name: "moto_server",
        available: false,
        install: "pip install 'moto[server]'",
        env: (name) => (name === "CI" ? "true" : undefined),
      }),
    /moto_server.*CI=true.*pip install/,
  );
});

Deno.test("testPeer() skips with one notice naming the install command on a laptop", () => {
  const lines: string[] = [];
  const options = {
    name: "peer-for-notice-test",
    available: false,
    install: "apt install peer",
    env: () => undefined,
    notice: (line: string) => lines.push(line),
  };
  assert.deepEqual(testPeer(options), { ignore: true });
  assert.deepEqual(testPeer(options), { ignore: true });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /peer-for-notice-test.*apt install peer/);
});

Deno.test("commandExists() finds sh and not a made-up command", async () => {
  assert.equal(await commandExists("sh"), true);
  assert.equal(await commandExists("no-such-command-7f3a"), false);
});
