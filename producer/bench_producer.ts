/**
 * `deno task bench:producer`: the producer's figures on this machine.
 *
 * - CPU time per sample (user + sys of this process, and of the commands it
 *   runs, from /proc/self/stat), for this machine's own sensors and for the
 *   Raspberry Pi fixture (whose `vcgencmd` is a recorded stand-in script).
 * - RSS after 1,000 samples, of this process and of the bundle run as a
 *   user runs it (`--dry-run` at 100 ms, so about 100 s).
 * - The bundle's size, and a reading's size on the wire and in the buffer,
 *   so what the default buffer bound holds.
 * - Disk buffer appends per second with fdatasync (what offline costs).
 *
 * Targets: under 20 ms CPU per sample, RSS under 80 MB.
 */
import process from "node:process";
import { silentLogger } from "../shared/log.ts";
import { encodeReading } from "../shared/reading/mod.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { DISK_BUFFER_DEFAULTS, openDiskBuffer } from "./buffer/disk_buffer.ts";
import { encodeBufferedMessage } from "./buffer/buffered_message.ts";
import { HEADER_BYTES } from "./buffer/record_format.ts";
import { buildReading } from "./build_reading.ts";
import { createCommandRunner } from "./sensors/command_runner.ts";
import { detectSensorSource } from "./sensors/detect_sensor_source.ts";
import { machineRoot } from "./sensors/fixtures/machine_fixture.ts";
import { brokerAvailable, startTestBroker } from "../testing/kafka/mod.ts";
import { runBundle } from "./_bench_bundle_run.ts";

const SAMPLES = 1000;
/** What `deno task producer` and `deno task compile` run the producer with (see producer/README.md). */
const V8_FLAGS = "--v8-flags=--max-semi-space-size=1,--lite-mode";
const MB = 1024 * 1024;

/** CPU ms of this process and of its waited-for children, from /proc/self/stat. */
function cpuMs(): { self: number; children: number } {
  const usage = process.cpuUsage();
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 (cutime, cstime) are the 14th and 15th after the name; clock ticks of 10 ms.
  const children = (Number(fields[13]) + Number(fields[14])) * 10;
  return { self: (usage.user + usage.system) / 1000, children };
}

async function benchSensors(label: string, root: string, samples: number) {
  const sensors = await detectSensorSource({ root, run: createCommandRunner({ root }) });
  await sensors.inventory();
  await sensors.sample(); // warm up
  const before = cpuMs();
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < samples; i++) {
    const values = await sensors.sample();
    const reading = buildReading({
      device: "bench",
      profile: sensors.profile,
      values,
      time: Date.now(),
    });
    bytes = encodeReading(reading).length;
  }
  const after = cpuMs();
  const wall = (performance.now() - started) / samples;
  const self = (after.self - before.self) / samples;
  const children = (after.children - before.children) / samples;
  console.log(
    `${label.padEnd(34)} ${self.toFixed(2).padStart(6)} ms CPU/sample` +
      (children > 0 ? ` + ${children.toFixed(2)} ms in commands` : "") +
      `, ${wall.toFixed(2)} ms wall, reading ${bytes} bytes (${sensors.profile})`,
  );
  return bytes;
}

/** Bundles the producer and runs it as a user would, measuring the process. */
async function benchBundle(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bench-bundle-" });
  const bundle = `${dir}/producer.js`;
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "deno", "--output", bundle, "producer/main.ts"],
      cwd: new URL("..", import.meta.url).pathname,
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error("deno bundle failed");
    const size = (await Deno.stat(bundle)).size;
    console.log(`bundle dist/producer.js: ${(size / MB).toFixed(2)} MB (${size} bytes)`);
    const interval = { intervalMs: 100, args: ["--interval", "0.1", "--device", "bench"] };
    const first = await runBundle({
      bundle,
      denoFlags: [V8_FLAGS],
      ...interval,
      args: [...interval.args, "--dry-run"],
      samples: 100,
      warmupSamples: 20,
    });
    console.log(
      `bundle, first start (Deno parses and caches the new file): RSS ${
        first.rssMb.toFixed(1)
      } MB after 100 samples`,
    );
    await using broker = (await brokerAvailable())
      ? await startTestBroker({ topics: { bench: 1 } })
      : null;
    const buffer = `${dir}/buffer`;
    const run = await runBundle({
      bundle,
      denoFlags: [V8_FLAGS],
      ...interval,
      args: broker ? [...interval.args, "--buffer-dir", buffer] : [...interval.args, "--dry-run"],
      env: broker ? { KAFKA_BROKERS: broker.bootstrap.join(",") } : {},
      samples: SAMPLES,
      warmupSamples: 100,
    });
    console.log(
      `bundle (${V8_FLAGS}), later starts, ${
        broker ? "sending to the Kafka test broker" : "--dry-run (no test broker built)"
      } ` +
        `every 100 ms: ${run.cpuPerSampleMs.toFixed(2)} ms CPU/sample (whole process), ` +
        `RSS after ${SAMPLES} samples ${run.rssMb.toFixed(1)} MB (peak ${
          run.peakRssMb.toFixed(1)
        } MB), ` +
        `exit code after SIGTERM ${run.exitCode}`,
    );
    if (broker) console.log(`  ${run.tail.replace(/^\S+ \w+\s+/, "")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function benchBufferAppends(readingBytes: number) {
  const dir = await Deno.makeTempDir({ prefix: "bench-buffer-" });
  try {
    const buffer = await openDiskBuffer({ dir, clock: createFakeClock(), log: silentLogger });
    const message = encodeBufferedMessage({
      topic: "bench",
      key: "bench",
      value: new Uint8Array(readingBytes),
    });
    const started = performance.now();
    for (let i = 0; i < 500; i++) await buffer.append([message]);
    const appendMs = (performance.now() - started) / 500;
    const replayStart = performance.now();
    let replayed = 0;
    while (true) {
      const batch = await buffer.peek(100);
      if (batch.records.length === 0) break;
      replayed += batch.records.length;
      await buffer.commit(batch);
    }
    const replayMs = performance.now() - replayStart;
    await buffer.close();
    console.log(
      `disk buffer: ${appendMs.toFixed(2)} ms per append with fdatasync, ` +
        `replay ${
          Math.round(replayed / (replayMs / 1000))
        } records/s (peek+commit, batches of 100)`,
    );
    return message.length + HEADER_BYTES;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(`producer bench: ${SAMPLES} samples each, deno ${Deno.version.deno}`);
  const pcBytes = await benchSensors("this machine (/)", "/", SAMPLES);
  const rss = Deno.memoryUsage().rss / MB;
  const piBytes = await benchSensors(
    "Pi 4 fixture (11 vcgencmd runs)",
    machineRoot("pi4_undervoltage"),
    200,
  );
  console.log(
    `RSS of this process (TypeScript source) after ${SAMPLES} samples: ${rss.toFixed(1)} MB`,
  );
  await benchBundle();
  const recordBytes = await benchBufferAppends(Math.max(pcBytes, piBytes));
  const fits = Math.floor(DISK_BUFFER_DEFAULTS.maxBytes / recordBytes);
  console.log(
    `default buffer ${
      DISK_BUFFER_DEFAULTS.maxBytes / MB
    } MiB holds ${fits} readings of ${recordBytes} bytes ` +
      `= ${(fits * 5 / 86_400).toFixed(1)} days at 5 s (the age bound is ${
        DISK_BUFFER_DEFAULTS.maxAgeMs / 86_400_000
      } days = ${DISK_BUFFER_DEFAULTS.maxAgeMs / 5000} readings)`,
  );
}
