import assert from "node:assert/strict";
import { PI4_UNDER_VOLTAGE_FLAGS } from "../../testing/a_reading.ts";
import { procStat } from "../../testing/fixture_tree.ts";
import { RaspberryReadingSchema } from "../../shared/reading/mod.ts";
import { buildReading } from "../build_reading.ts";
import { type CommandRunner, createCommandRunner } from "./command_runner.ts";
import { copyMachine, machineRoot } from "./fixtures/machine_fixture.ts";
import {
  createRaspberrySensors,
  parseFrequency,
  parseMemory,
  parseTemp,
  parseThrottled,
  parseVolts,
} from "./raspberry_sensors.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";

/** The fixtures' /proc/stat (both Pis): 110300 busy and 301000 idle jiffies on the cpu line. */
const PI_BUSY = 90000 + 20000 + 300;
const PI_IDLE = 300000 + 1000;

Deno.test("createRaspberrySensors() on a Pi 4 under low voltage reads vcgencmd and decodes 0x50005", async () => {
  await using tree = await copyMachine("pi4_undervoltage");
  const root = tree.root;
  const sensors = createRaspberrySensors({ root, run: createCommandRunner({ root }) });
  const inventory = await sensors.inventory();
  assert.deepEqual(inventory.filter((s) => !s.present).map((s) => s.field), ["fan_rpm"]);
  assert.equal(inventory.find((s) => s.field === "cpu_load_percent")?.detail, "/proc/stat");
  // 750 busy and 250 idle jiffies since the probe: 75 %.
  await tree.write("/proc/stat", procStat(PI_BUSY + 750, PI_IDLE + 250));
  const values = await sensors.sample();
  assert.deepEqual(
    {
      CPU_temp_celsius: values.CPU_temp_celsius,
      cpu_load_percent: values.cpu_load_percent,
      GPU_temp_celsius: values.GPU_temp_celsius,
      frequency_arm_hz: values.frequency_arm_hz,
      frequency_core_hz: values.frequency_core_hz,
      frequency_pwm_hz: values.frequency_pwm_hz,
      voltage_core_v: values.voltage_core_v,
      voltage_sdram_c_v: values.voltage_sdram_c_v,
      memory_arm_bytes: values.memory_arm_bytes,
      memory_gpu_bytes: values.memory_gpu_bytes,
      throttled: values.throttled,
      under_voltage_alarm: values.under_voltage_alarm,
    },
    {
      CPU_temp_celsius: 61.8,
      cpu_load_percent: 75,
      GPU_temp_celsius: 62.3,
      frequency_arm_hz: 600117184,
      frequency_core_hz: 500000992,
      frequency_pwm_hz: 107143000,
      voltage_core_v: 0.835,
      voltage_sdram_c_v: 1.1,
      memory_arm_bytes: 948 * 1024 ** 2,
      memory_gpu_bytes: 76 * 1024 ** 2,
      throttled: "0x50005",
      under_voltage_alarm: true,
    },
  );
  assert.deepEqual(values.throttled_flags, PI4_UNDER_VOLTAGE_FLAGS);
  const reading = buildReading({ device: "pi4", profile: "raspberry", values, time: 0 });
  assert.equal(RaspberryReadingSchema.safeParse(reading).success, true);
  assert.equal(reading.profile === "raspberry" && reading.cpu_load_percent, 75);
});

Deno.test("createRaspberrySensors() on a Pi without vcgencmd falls back to sysfs and marks the rest absent", async () => {
  await using tree = await copyMachine("pi3_no_vcgencmd");
  const root = tree.root;
  const sensors = createRaspberrySensors({ root, run: createCommandRunner({ root }) });
  const inventory = await sensors.inventory();
  const present = inventory.filter((s) => s.present).map((s) => s.field);
  assert.deepEqual(present, [
    "CPU_temp_celsius",
    "cpu_load_percent",
    "frequency_arm_hz",
    "under_voltage_alarm",
    "memory_used_bytes",
  ]);
  assert.equal(
    inventory.find((s) => s.field === "throttled")?.detail,
    `vcgencmd not found under ${root}`,
  );
  // 250 busy and 750 idle jiffies since the probe: 25 %.
  await tree.write("/proc/stat", procStat(PI_BUSY + 250, PI_IDLE + 750));
  const values = await sensors.sample();
  assert.equal(values.CPU_temp_celsius, 48.3);
  assert.equal(values.cpu_load_percent, 25);
  assert.equal(values.frequency_arm_hz, 1_400_000_000, "cpufreq kHz as Hz");
  assert.equal(values.under_voltage_alarm, false);
  assert.equal(values.throttled, null);
  assert.equal(values.throttled_flags, null);
  assert.equal(values.GPU_temp_celsius, null);
  assert.equal(values.voltage_core_v, null);
  const reading = buildReading({ device: "pi3", profile: "raspberry", values, time: 0 });
  assert.equal(RaspberryReadingSchema.safeParse(reading).success, true);
});

Deno.test("createRaspberrySensors() on a Pi without a readable /proc/stat gives a null load, not 0", async () => {
  await using tree = await copyMachine("pi3_no_vcgencmd");
  await Deno.remove(`${tree.root}/proc/stat`);
  const sensors = createRaspberrySensors({
    root: tree.root,
    run: createCommandRunner({ root: tree.root }),
  });
  const load = (await sensors.inventory()).find((s) => s.field === "cpu_load_percent");
  assert.deepEqual(load, {
    field: "cpu_load_percent",
    present: false,
    detail: "/proc/stat not found",
  });
  for (let i = 0; i < 2; i++) {
    const values = await sensors.sample();
    assert.equal(values.cpu_load_percent, null);
    const reading = buildReading({ device: "pi3", profile: "raspberry", values, time: 0 });
    assert.equal(RaspberryReadingSchema.safeParse(reading).success, true);
    assert.equal(reading.profile === "raspberry" && reading.cpu_load_percent, null);
  }
});

Deno.test("createRaspberrySensors() logs a vcgencmd query that starts failing once, and its recovery", async () => {
  const root = machineRoot("pi4_undervoltage");
  const real = createCommandRunner({ root });
  let broken = false;
  const run: CommandRunner = (command, args) =>
    broken && args[0] === "measure_temp"
      ? Promise.resolve({ ok: false, reason: "failed", message: "VCHI initialization failed" })
      : real(command, args);
  const log = createMemoryLogger();
  const sensors = createRaspberrySensors({ root, run, log });
  await sensors.inventory();
  broken = true;
  assert.equal((await sensors.sample()).GPU_temp_celsius, null);
  assert.equal((await sensors.sample()).GPU_temp_celsius, null);
  broken = false;
  assert.equal((await sensors.sample()).GPU_temp_celsius, 62.3);
  assert.equal(log.lines.filter((l) => /vcgencmd query failing/.test(l)).length, 1);
  assert.match(log.lines[0]!, /query="vcgencmd measure_temp" error="VCHI initialization failed"/);
  assert.equal(log.lines.filter((l) => /answers again/.test(l)).length, 1);
});

Deno.test("vcgencmd answers are parsed, and anything else gives null", async (t) => {
  await t.step("measure_temp", () => {
    assert.equal(parseTemp("temp=48.9'C"), 48.9);
    assert.equal(parseTemp('error=1 error_msg="Command not registered"'), null);
  });
  await t.step("measure_clock", () => {
    assert.equal(parseFrequency("frequency(48)=1500398464"), 1500398464);
    assert.equal(parseFrequency("frequency(25)=0"), 0);
    assert.equal(parseFrequency("frequency=abc"), null);
  });
  await t.step("measure_volts", () => assert.equal(parseVolts("volt=1.2000V"), 1.2));
  await t.step("get_mem", () => {
    assert.equal(parseMemory("gpu=76M"), 76 * 1024 ** 2);
    assert.equal(parseMemory("arm=7G"), 7 * 1024 ** 3);
    assert.equal(parseMemory("arm=lots"), null);
  });
  await t.step("get_throttled", () => {
    assert.equal(parseThrottled("throttled=0x0"), "0x0");
    assert.equal(parseThrottled("throttled=50005"), null);
  });
});
