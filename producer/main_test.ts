import assert from "node:assert/strict";
import { brokerPeer } from "../testing/kafka/broker_peer.ts";
import { decodeReading, unframe } from "../shared/reading/mod.ts";
import { startTestBroker } from "../testing/kafka/mod.ts";
import { readTopic } from "../testing/kafka/read_topic.ts";
import { startRegistry } from "../testing/schema_registry_stand_in.ts";
import { machineRoot } from "./sensors/fixtures/machine_fixture.ts";

const { ignore } = await brokerPeer();
const repo = new URL("..", import.meta.url).pathname;

/** Reads a child's stderr line by line until `want` matches one; returns every line so far. */
async function waitForLine(lines: AsyncIterator<string>, seen: string[], want: RegExp) {
  while (true) {
    const next = await lines.next();
    if (next.done) throw new Error(`stderr ended before ${want}:\n${seen.join("\n")}`);
    seen.push(next.value);
    if (want.test(next.value)) return next.value;
  }
}

async function* linesOf(stream: ReadableStream<Uint8Array>) {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

Deno.test({
  name: "the producer command sends framed readings to Kafka and flushes on SIGTERM, exiting 0",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 1, topics: { pi4: 1 } });
    await using registry = startRegistry({ key: "K", secret: "S" });
    const bufferDir = await Deno.makeTempDir({ prefix: "producer-main-" });
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "producer/main.ts",
        "--interval",
        "0.2",
        "--device",
        "pi4",
        "--root",
        machineRoot("pi4_undervoltage"),
        "--buffer-dir",
        bufferDir,
      ],
      cwd: repo,
      env: {
        KAFKA_BROKERS: broker.bootstrap.join(","),
        SCHEMA_REGISTRY_URL: registry.url,
        SCHEMA_REGISTRY_KEY: "K",
        SCHEMA_REGISTRY_SECRET: "S",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const seen: string[] = [];
    const lines = linesOf(child.stderr)[Symbol.asyncIterator]();
    try {
      await waitForLine(lines, seen, /info\s+sending brokers=/);
      await readTopic(broker.bootstrap, "pi4", (got) => got.length >= 3);
      child.kill("SIGTERM");
      const stopped = await waitForLine(lines, seen, /info\s+stopped sent=/);
      const status = await child.status;
      for await (const line of { [Symbol.asyncIterator]: () => lines }) seen.push(line);
      await child.stdout.cancel();
      assert.equal(status.code, 0, seen.join("\n"));
      const sent = Number(/sent=(\d+)/.exec(stopped)![1]);
      assert.match(stopped, /buffered=0 replayed=0 still_buffered=0 dropped=0/);
      const messages = await readTopic(broker.bootstrap, "pi4", (got) => got.length >= sent);
      assert.equal(messages.length, sent, "every reading sent, none twice");
      for (const message of messages) {
        assert.equal(unframe(message.value).schemaId, 100001);
        const reading = decodeReading(message.value);
        assert.equal(reading.device, "pi4");
        assert.equal(message.key, "pi4");
      }
      assert.equal(seen.filter((l) => /Sensors of pi4 \(raspberry\)/.test(l)).length, 1);
      assert.ok(seen.length < 40, `one line per event, not per reading:\n${seen.join("\n")}`);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited, as it should have
      }
      await Deno.remove(bufferDir, { recursive: true });
    }
  },
});

Deno.test("the bundle is one self-contained file that prints a valid reading", async () => {
  const dir = await Deno.makeTempDir({ prefix: "producer-bundle-" });
  try {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform",
        "deno",
        "--output",
        `${dir}/producer.js`,
        "producer/main.ts",
      ],
      cwd: repo,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
    for (const machine of ["pi4_undervoltage", "amd_desktop"] as const) {
      const run = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--no-config",
          `${dir}/producer.js`,
          "--once",
          "--root",
          machineRoot(machine),
        ],
        cwd: dir, // no deno.json, no node_modules: only the bundle
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
      const reading = decodeReading(run.stdout);
      assert.equal(reading.profile, machine === "amd_desktop" ? "pc" : "raspberry");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
