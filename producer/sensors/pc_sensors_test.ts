import assert from "node:assert/strict";
import { fixtureTree, procStat } from "../../testing/fixture_tree.ts";
import { createPcSensors } from "./pc_sensors.ts";

const MEMINFO =
  "MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    8192000 kB\n";

Deno.test("createPcSensors() on a VM with no sensors reports them absent and keeps the rest", async () => {
  await using tree = await fixtureTree({
    "/proc/stat": procStat(1000, 9000),
    "/proc/cpuinfo": "processor\t: 0\ncpu MHz\t\t: 2596.124\n",
    "/proc/meminfo": MEMINFO,
    "/proc/loadavg": "0.14 0.03 0.01 1/79 1960",
    "/proc/uptime": "1234.56 2000.00",
  });
  const sensors = createPcSensors({ root: tree.root });
  const inventory = await sensors.inventory();
  const present = Object.fromEntries(inventory.map((s) => [s.field, s.present]));
  assert.deepEqual(present, {
    TemperatureCPUPackage: false,
    LoadCPUTotal: true,
    ClockCPUCoreOne: true,
    PowerCPUPackage: false,
    memory_used_bytes: true,
  });
  await tree.write("/proc/stat", procStat(1500, 9500));
  const values = await sensors.sample();
  assert.equal(values.TemperatureCPUPackage, null);
  assert.equal(values.PowerCPUPackage, null);
  assert.equal(values.LoadCPUTotal, 50);
  assert.equal(values.ClockCPUCoreOne, 2596);
  assert.equal(values.memory_total_bytes, 16384000 * 1024);
  assert.equal(values.memory_used_bytes, 8192000 * 1024);
  assert.equal(values.load_average_1m, 0.14);
  assert.equal(values.uptime_s, 1235);
});

Deno.test("createPcSensors() on an Intel laptop reads coretemp, cpufreq and RAPL", async () => {
  await using tree = await fixtureTree({
    "/proc/stat": procStat(100, 900),
    "/proc/meminfo": MEMINFO,
    "/sys/class/hwmon/hwmon0/name": "acpitz",
    "/sys/class/hwmon/hwmon0/temp1_input": "27800",
    "/sys/class/hwmon/hwmon3/name": "coretemp",
    "/sys/class/hwmon/hwmon3/temp1_label": "Package id 0",
    "/sys/class/hwmon/hwmon3/temp1_input": "64000",
    "/sys/class/hwmon/hwmon3/temp1_crit": "100000",
    "/sys/class/hwmon/hwmon3/temp2_label": "Core 0",
    "/sys/class/hwmon/hwmon3/temp2_input": "61000",
    "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq": "2800000",
    "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "4700000",
    "/sys/class/powercap/intel-rapl:0/energy_uj": "262143000000",
    "/sys/class/powercap/intel-rapl:0/max_energy_range_uj": "262143328850",
  });
  let now = 0;
  const sensors = createPcSensors({ root: tree.root, now: () => now });
  const inventory = await sensors.inventory();
  assert.equal(
    inventory.find((s) => s.field === "TemperatureCPUPackage")?.detail,
    "hwmon coretemp Package id 0",
  );
  now = 5000;
  // 50 J in 5 s across the counter's wrap point: 10 W.
  await tree.write("/sys/class/powercap/intel-rapl:0/energy_uj", String(50_000_000 - 328_850));
  const values = await sensors.sample();
  assert.equal(values.TemperatureCPUPackage, 64);
  assert.equal(values.cpu_temp_limit_celsius, 100);
  assert.equal(values.ClockCPUCoreOne, 2800);
  assert.equal(values.cpu_clock_max_mhz, 4700);
  assert.equal(values.PowerCPUPackage, 10);
});
