import assert from "node:assert/strict";
import { PcReadingSchema } from "../../shared/reading/mod.ts";
import { buildReading } from "../build_reading.ts";
import { copyMachine, machineRoot } from "./fixtures/machine_fixture.ts";
import type { GraphicsInfo } from "./gpu.ts";
import { createPcSensors } from "./pc_sensors.ts";
import type { SensorStatus } from "../../shared/sensors/sensor_source.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";

const presence = (inventory: SensorStatus[]) =>
  Object.fromEntries(inventory.map((s) => [s.field, s.present]));

Deno.test("createPcSensors() on a VM with no sensors reports them absent and keeps the rest", async () => {
  await using tree = await copyMachine("vm_no_sensors");
  const sensors = createPcSensors({ root: tree.root });
  assert.deepEqual(presence(await sensors.inventory()), {
    TemperatureCPUPackage: false,
    LoadCPUTotal: true,
    ClockCPUCoreOne: true,
    PowerCPUPackage: false,
    TemperatureGPUCore: false,
    LoadGPUCore: false,
    fan_rpm: false,
    cpu_throttled: false,
    memory_used_bytes: true,
  });
  // 500 busy and 500 idle jiffies since the probe: 50 %.
  await tree.write("/proc/stat", "cpu  1500 0 500 90500 10 0 5 20 0 0\n");
  const values = await sensors.sample();
  assert.equal(values.TemperatureCPUPackage, null);
  assert.equal(values.PowerCPUPackage, null);
  assert.equal(values.TemperatureGPUCore, null);
  assert.equal(values.fan_rpm, null);
  assert.equal(values.cpu_throttled, null, "no counters: unknown, not a made-up false");
  assert.equal(values.LoadCPUTotal, 50);
  assert.equal(values.ClockCPUCoreOne, 2596);
  assert.equal(values.memory_total_bytes, 2030100 * 1024);
  assert.equal(values.memory_used_bytes, (2030100 - 1500000) * 1024);
  assert.equal(values.load_average_1m, 0.14);
  assert.equal(values.uptime_s, 1235);
});

Deno.test("createPcSensors() on an Intel laptop reads coretemp, cpufreq, the fan and RAPL across its wrap", async () => {
  await using tree = await copyMachine("intel_laptop");
  let now = 0;
  const sensors = createPcSensors({ root: tree.root, now: () => now });
  const inventory = await sensors.inventory();
  assert.equal(
    inventory.find((s) => s.field === "TemperatureCPUPackage")?.detail,
    "hwmon coretemp Package id 0",
  );
  assert.equal(presence(inventory).TemperatureGPUCore, false, "Intel graphics has no sensor");
  now = 5000;
  // The counter was 328_850 µJ below its range: 50 J in 5 s across the wrap is 10 W.
  await tree.write("/sys/class/powercap/intel-rapl:0/energy_uj", String(50_000_000 - 328_850));
  const values = await sensors.sample();
  assert.equal(values.PowerCPUPackage, 10);
  assert.equal(values.TemperatureCPUPackage, 64);
  assert.equal(values.cpu_temp_limit_celsius, 100);
  assert.equal(values.ClockCPUCoreOne, 2800);
  assert.equal(values.cpu_clock_max_mhz, 4700);
  assert.deepEqual(values.fan_rpm, [2890]);
  now = 10_000;
  await tree.write(
    "/sys/class/powercap/intel-rapl:0/energy_uj",
    String(50_000_000 - 328_850 + 75e6),
  );
  assert.equal((await sensors.sample()).PowerCPUPackage, 15, "no wrap: plain ΔE/Δt");
});

Deno.test("createPcSensors() on an Intel laptop tells from the thermal_throttle counters whether the CPU throttled since the last sample", async () => {
  await using tree = await copyMachine("intel_laptop");
  const sensors = createPcSensors({ root: tree.root });
  const inventory = await sensors.inventory();
  assert.equal(
    inventory.find((s) => s.field === "cpu_throttled")?.detail,
    "/sys/devices/system/cpu/cpu*/thermal_throttle: package and core throttle counts of 2 CPUs",
  );
  const counter = (cpu: number, kind: string) =>
    `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle/${kind}_throttle_count`;
  assert.equal((await sensors.sample()).cpu_throttled, false, "no counter moved since the probe");
  await tree.write(counter(1, "core"), "4\n");
  assert.equal((await sensors.sample()).cpu_throttled, true, "core 1 throttled once");
  assert.equal((await sensors.sample()).cpu_throttled, false, "and not again since");
  await tree.write(counter(0, "package"), "41\n");
  await tree.write(counter(1, "package"), "41\n");
  const values = await sensors.sample();
  assert.equal(values.cpu_throttled, true, "the package throttled");
  const reading = buildReading({ device: "laptop", profile: "pc", values, time: 0 });
  assert.equal(PcReadingSchema.parse(reading).cpu_throttled, true);
  await tree.write(counter(0, "core"), "not a number\n");
  assert.equal((await sensors.sample()).cpu_throttled, null, "an unreadable counter: unknown");
  await tree.write(counter(0, "core"), "12\n");
  assert.equal((await sensors.sample()).cpu_throttled, null, "nothing to compare with yet");
  assert.equal((await sensors.sample()).cpu_throttled, false);
});

Deno.test("createPcSensors() on an AMD desktop prefers k10temp Tdie and reads the amdgpu and every fan", async () => {
  const sensors = createPcSensors({ root: machineRoot("amd_desktop") });
  const inventory = await sensors.inventory();
  assert.equal(
    inventory.find((s) => s.field === "TemperatureCPUPackage")?.detail,
    "hwmon k10temp Tdie",
  );
  assert.equal(
    inventory.find((s) => s.field === "TemperatureGPUCore")?.detail,
    "hwmon amdgpu edge, card0 gpu_busy_percent",
  );
  const values = await sensors.sample();
  assert.equal(values.TemperatureCPUPackage, 67.5, "Tdie, not Tctl with its +10 °C offset");
  assert.equal(values.TemperatureGPUCore, 52);
  assert.equal(values.LoadGPUCore, 37);
  assert.deepEqual(values.fan_rpm, [0, 1104, 846, 1350], "a stopped fan is a real 0");
  assert.equal(values.ClockCPUCoreOne, 4050);
  assert.equal(values.cpu_throttled, null, "AMD has no thermal_throttle counters");
  assert.equal(presence(inventory).cpu_throttled, false);
  const reading = buildReading({ device: "amd", profile: "pc", values, time: 0 });
  assert.equal(PcReadingSchema.safeParse(reading).success, true);
});

Deno.test("createPcSensors() asks systeminformation for a GPU the kernel cannot read (NVIDIA)", async (t) => {
  const answers = [
    { controllers: [{ vendor: "Intel Corporation", model: "UHD Graphics 630" }] },
    {
      controllers: [
        { vendor: "Intel Corporation", model: "UHD Graphics 630" },
        { vendor: "NVIDIA", model: "GeForce RTX 3060", temperatureGpu: 48, utilizationGpu: 12 },
      ],
    },
  ];
  await t.step("an NVIDIA card reporting temperature and load", async () => {
    let calls = 0;
    const graphics: GraphicsInfo = () => Promise.resolve(answers[1]!);
    const counted: GraphicsInfo = () => (calls++, graphics());
    const sensors = createPcSensors({ root: machineRoot("intel_laptop"), graphics: counted });
    const inventory = await sensors.inventory();
    assert.equal(
      inventory.find((s) => s.field === "TemperatureGPUCore")?.detail,
      "systeminformation NVIDIA GeForce RTX 3060",
    );
    const values = await sensors.sample();
    assert.equal(values.TemperatureGPUCore, 48);
    assert.equal(values.LoadGPUCore, 12);
    assert.equal(calls, 2, "once to probe, once per sample");
  });
  await t.step("only a GPU without sensors: absent, and not asked again", async () => {
    let calls = 0;
    const graphics: GraphicsInfo = () => (calls++, Promise.resolve(answers[0]!));
    const sensors = createPcSensors({ root: machineRoot("intel_laptop"), graphics });
    assert.equal(presence(await sensors.inventory()).TemperatureGPUCore, false);
    assert.equal((await sensors.sample()).TemperatureGPUCore, null);
    assert.equal(calls, 1);
  });
});

Deno.test("createPcSensors() reports RAPL absent, with one hint in the log, when energy_uj is not readable", async () => {
  // Tests run as root here, where chmod 000 denies nothing; a child Deno whose
  // permissions deny that one file meets the same refusal a normal user meets.
  await using tree = await copyMachine("intel_laptop");
  const energy = `${tree.root}/sys/class/powercap/intel-rapl:0/energy_uj`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${new URL("../..", import.meta.url).pathname},${tree.root}`,
      `--deny-read=${energy}`,
      new URL("./fixtures/print_pc_inventory.ts", import.meta.url).pathname,
      tree.root,
      "3",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const { inventory, values } = JSON.parse(new TextDecoder().decode(output.stdout));
  const rapl = (inventory as SensorStatus[]).find((s) => s.field === "PowerCPUPackage")!;
  assert.equal(rapl.present, false);
  assert.match(rapl.detail, /energy_uj is not readable \(root-only on current kernels\)/);
  assert.equal(values.PowerCPUPackage, null);
  assert.equal(values.TemperatureCPUPackage, 64, "the other sensors still work");
  assert.equal(stderr.split("\n").filter((l) => /root-only/.test(l)).length, 1);
});

Deno.test("createPcSensors() logs nothing about RAPL when it simply is not there", async () => {
  const log = createMemoryLogger();
  const sensors = createPcSensors({ root: machineRoot("vm_no_sensors"), log });
  await sensors.inventory();
  await sensors.sample();
  assert.deepEqual(log.lines, []);
});
