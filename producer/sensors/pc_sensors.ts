import type { Logger } from "../../shared/log.ts";
import { createCpuLoadReader, describeCpuLoad } from "./cpu_load.ts";
import { findCpuTemperature, readMilliCelsius } from "./cpu_temperature.ts";
import { createCpuThrottleReader } from "./cpu_throttle.ts";
import { findFans, readFans } from "./fans.ts";
import { findGpu, type GpuSensor, type GraphicsInfo } from "./gpu.ts";
import { readProcValues } from "./proc_values.ts";
import { createRaplPowerReader } from "./rapl_power.ts";
import type {
  SensorSource,
  SensorStatus,
  SensorValues,
} from "../../shared/sensors/sensor_source.ts";
import { readKernelFile, readNumber } from "./sysfs.ts";

export interface PcSensorsOptions {
  /** `/` on a device, a fixture tree in tests. */
  root: string;
  /** Monotonic milliseconds, for power from energy deltas. */
  now?: () => number;
  /**
   * GPU information from systeminformation, asked only when the kernel has
   * no GPU sensor (NVIDIA). Null or absent: not asked (fixture trees).
   */
  graphics?: GraphicsInfo | null;
  /** Gets the one-off hints (RAPL being root-only); silent when absent. */
  log?: Logger;
}

const CPUFREQ = "/sys/devices/system/cpu/cpu0/cpufreq";

/**
 * Sensors of an x86_64 Linux PC from the kernel's own interfaces: hwmon and
 * thermal zones for the CPU temperature, /proc/stat for load, cpufreq (or
 * /proc/cpuinfo) for the clock of core 1, RAPL for package power, hwmon
 * `fanN_input` for fans, amdgpu/nouveau hwmon or systeminformation for the
 * GPU, the thermal_throttle counters for CPU throttling (Intel), and /proc
 * for memory, load average and uptime. What the machine
 * lacks is reported absent in the inventory and null in every sample.
 */
export function createPcSensors(options: PcSensorsOptions): SensorSource {
  const { root } = options;
  const now = options.now ?? (() => performance.now());
  const load = createCpuLoadReader({ root });
  const power = createRaplPowerReader({ root, now });
  const throttle = createCpuThrottleReader({ root });
  let probed: Promise<SensorStatus[]> | null = null;
  let temperature: Awaited<ReturnType<typeof findCpuTemperature>> = null;
  let clockFrom: "cpufreq" | "cpuinfo" | null = null;
  let gpu: GpuSensor | null = null;
  let fans: string[] = [];

  async function probe(): Promise<SensorStatus[]> {
    temperature = await findCpuTemperature(root);
    const loadOk = await load.prime();
    const loadDetail = await describeCpuLoad(root, loadOk);
    clockFrom = (await readNumber(root, `${CPUFREQ}/scaling_cur_freq`)) !== null
      ? "cpufreq"
      : (await cpuinfoMhz(root)) !== null
      ? "cpuinfo"
      : null;
    const rapl = await power.probe();
    if (!rapl.present && rapl.reason === "permission") options.log?.warn(rapl.detail);
    gpu = await findGpu(root, options.graphics ?? null);
    fans = await findFans(root);
    const throttling = await throttle.probe();
    const meminfo = await readKernelFile(root, "/proc/meminfo");
    const noGpu = "no GPU reports it (no amdgpu/radeon/nouveau hwmon" +
      (options.graphics ? ", nothing from systeminformation)" : ")");
    return [
      {
        field: "TemperatureCPUPackage",
        present: temperature !== null,
        detail: temperature?.detail ??
          "no CPU temperature sensor (no coretemp/k10temp hwmon, no CPU thermal zone)",
      },
      { field: "LoadCPUTotal", present: loadOk, detail: loadDetail },
      {
        field: "ClockCPUCoreOne",
        present: clockFrom !== null,
        detail: clockFrom === "cpufreq"
          ? `${CPUFREQ}/scaling_cur_freq`
          : clockFrom === "cpuinfo"
          ? "/proc/cpuinfo cpu MHz"
          : "no cpufreq and no MHz in /proc/cpuinfo",
      },
      { field: "PowerCPUPackage", present: rapl.present, detail: rapl.detail },
      {
        field: "TemperatureGPUCore",
        present: gpu?.hasTemperature ?? false,
        detail: gpu?.hasTemperature ? gpu.detail : noGpu,
      },
      {
        field: "LoadGPUCore",
        present: gpu?.hasLoad ?? false,
        detail: gpu?.hasLoad ? gpu.detail : noGpu,
      },
      {
        field: "fan_rpm",
        present: fans.length > 0,
        detail: fans.length > 0
          ? `${fans.length} fan(s): ${
            fans.map((f) => f.replace("/sys/class/hwmon/", "")).join(", ")
          }`
          : "no hwmon fan reports a speed",
      },
      { field: "cpu_throttled", ...throttling },
      {
        field: "memory_used_bytes",
        present: meminfo.ok,
        detail: meminfo.ok ? "/proc/meminfo" : meminfo.message,
      },
    ];
  }

  return {
    profile: "pc",
    inventory() {
      probed ??= probe();
      return probed;
    },
    async sample(): Promise<SensorValues> {
      const inventory = await this.inventory();
      const has = (field: string) => inventory.some((s) => s.field === field && s.present);
      const gpuValues = gpu ? await gpu.read() : null;
      return {
        TemperatureCPUPackage: temperature ? await readMilliCelsius(root, temperature.input) : null,
        cpu_temp_limit_celsius: temperature?.limit
          ? await readMilliCelsius(root, temperature.limit)
          : null,
        LoadCPUTotal: has("LoadCPUTotal") ? await load.read() : null,
        ClockCPUCoreOne: clockFrom === "cpufreq"
          ? kHzToMHz(await readNumber(root, `${CPUFREQ}/scaling_cur_freq`))
          : clockFrom === "cpuinfo"
          ? await cpuinfoMhz(root)
          : null,
        cpu_clock_max_mhz: kHzToMHz(await readNumber(root, `${CPUFREQ}/cpuinfo_max_freq`)),
        PowerCPUPackage: has("PowerCPUPackage") ? await power.read() : null,
        TemperatureGPUCore: gpuValues?.temperature ?? null,
        LoadGPUCore: gpuValues?.load ?? null,
        fan_rpm: await readFans(root, fans),
        cpu_throttled: await throttle.read(),
        ...(await readProcValues(root)),
      };
    },
  };
}

const kHzToMHz = (kHz: number | null) => (kHz === null ? null : Math.round(kHz / 1000));

async function cpuinfoMhz(root: string): Promise<number | null> {
  const file = await readKernelFile(root, "/proc/cpuinfo");
  const match = file.ok ? /^cpu MHz\s*:\s*([\d.]+)/m.exec(file.text) : null;
  return match ? Math.round(Number(match[1])) : null;
}
