import assert from "node:assert/strict";
import type { Clock } from "../shared/clock.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { parseReading } from "../shared/reading/mod.ts";
import { startRegistry } from "../testing/schema_registry_stand_in.ts";
import { runProducer, type RunProducerDeps } from "./run_producer.ts";
import { machineRoot } from "./sensors/fixtures/machine_fixture.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

function run(args: string[], extra: Partial<RunProducerDeps> = {}) {
  const out: string[] = [];
  const errors: string[] = [];
  const log = createMemoryLogger("info");
  const stop = new AbortController();
  const exit = runProducer({
    args,
    env: {},
    hostname: "testhost",
    print: (line) => out.push(line),
    printError: (line) => errors.push(line),
    stop: stop.signal,
    logger: () => log,
    ...extra,
  });
  return { out, errors, log, stop, exit };
}

/** A real clock whose sleeps end at once: `--once` needs no half-second wait in a test. */
const impatientClock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };

Deno.test("runProducer() --once prints one valid reading of the Pi and the inventory once", async () => {
  const r = run(["--once", "--root", machineRoot("pi4_undervoltage"), "--device", "pi4"], {
    clock: impatientClock,
  });
  assert.equal(await r.exit, 0);
  assert.equal(r.out.length, 1);
  const reading = parseReading(JSON.parse(r.out[0]!));
  assert.equal(reading.profile, "raspberry");
  assert.equal(reading.device, "pi4");
  assert.equal(reading.profile === "raspberry" && reading.throttled, "0x50005");
  const block = r.log.lines.filter((l) => /Sensors of pi4 \(raspberry\):/.test(l));
  assert.equal(block.length, 1);
  assert.match(block[0]!, /✓ throttled +vcgencmd get_throttled\n/);
});

Deno.test("runProducer() --dry-run prints a reading per interval, sends nothing, and stops on the signal", async () => {
  const clock = createFakeClock();
  const r = run(["--dry-run", "--interval", "1", "--root", machineRoot("vm_no_sensors")], {
    clock,
  });
  // Sensor detection reads real files: let it finish before time moves.
  for (let i = 0; i < 1000 && r.out.length === 0; i++) await clock.advance(0);
  for (let i = 0; i < 3; i++) await clock.advance(1000);
  r.stop.abort();
  assert.equal(await r.exit, 0);
  assert.equal(r.out.length, 4);
  const readings = r.out.map((line) => parseReading(JSON.parse(line)));
  assert.deepEqual(
    readings.slice(1, 4).map((x) => Date.parse(x.timestamp) - Date.parse(readings[0]!.timestamp)),
    [1000, 2000, 3000],
  );
  assert.equal(readings[0]!.device, "testhost");
  assert.equal(readings[0]!.profile, "pc");
});

Deno.test("runProducer() exits 2 naming a bad flag or variable, before touching anything", async (t) => {
  await t.step("a bad flag", async () => {
    const r = run(["--interval", "soon"]);
    assert.equal(await r.exit, 2);
    assert.match(r.errors.join("\n"), /--interval is 'soon': must be a number/);
  });
  await t.step("sending without KAFKA_BROKERS", async () => {
    const r = run([]);
    assert.equal(await r.exit, 2);
    assert.match(r.errors.join("\n"), /KAFKA_BROKERS is not set/);
  });
  await t.step("--help prints the usage and exits 0", async () => {
    const r = run(["--help"]);
    assert.equal(await r.exit, 0);
    assert.match(r.out[0]!, /--buffer-dir <dir>/);
  });
});

Deno.test("runProducer() exits 1 when the Schema Registry refuses the credentials", async () => {
  await using registry = startRegistry({ key: "K", secret: "S" });
  const r = run(["--root", machineRoot("vm_no_sensors")], {
    env: {
      KAFKA_BROKERS: "127.0.0.1:1",
      SCHEMA_REGISTRY_URL: registry.url,
      SCHEMA_REGISTRY_KEY: "K",
      SCHEMA_REGISTRY_SECRET: "wrong",
    },
  });
  assert.equal(await r.exit, 1);
  assert.match(r.log.lines.join("\n"), /cannot start: .*check SCHEMA_REGISTRY_KEY/);
});
