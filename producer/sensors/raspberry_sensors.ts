import type { Logger } from "../../shared/log.ts";
import { decodeThrottled, THROTTLED_HEX } from "../../shared/reading/mod.ts";
import type { CommandRunner } from "./command_runner.ts";
import { createCpuLoadReader, describeCpuLoad } from "./cpu_load.ts";
import { readMilliCelsius } from "./cpu_temperature.ts";
import { findFans, readFans } from "./fans.ts";
import { readProcValues } from "./proc_values.ts";
import type {
  SensorSource,
  SensorStatus,
  SensorValues,
} from "../../shared/sensors/sensor_source.ts";
import { listDir, readKernelFile, readNumber } from "./sysfs.ts";

export interface RaspberrySensorsOptions {
  /** `/` on a device, a fixture tree in tests. */
  root: string;
  /** Runs `vcgencmd`; see `createCommandRunner`. */
  run: CommandRunner;
  /** Gets one line when a vcgencmd query starts or stops failing; silent when absent. */
  log?: Logger;
}

type Parse = (stdout: string) => number | string | null;

/** Reading fields `vcgencmd` answers, and how. */
const QUERIES: ReadonlyArray<{ field: string; args: string[]; parse: Parse }> = [
  { field: "GPU_temp_celsius", args: ["measure_temp"], parse: parseTemp },
  { field: "frequency_arm_hz", args: ["measure_clock", "arm"], parse: parseFrequency },
  { field: "frequency_core_hz", args: ["measure_clock", "core"], parse: parseFrequency },
  { field: "frequency_pwm_hz", args: ["measure_clock", "pwm"], parse: parseFrequency },
  { field: "voltage_core_v", args: ["measure_volts", "core"], parse: parseVolts },
  { field: "voltage_sdram_c_v", args: ["measure_volts", "sdram_c"], parse: parseVolts },
  { field: "voltage_sdram_i_v", args: ["measure_volts", "sdram_i"], parse: parseVolts },
  { field: "voltage_sdram_p_v", args: ["measure_volts", "sdram_p"], parse: parseVolts },
  { field: "memory_arm_bytes", args: ["get_mem", "arm"], parse: parseMemory },
  { field: "memory_gpu_bytes", args: ["get_mem", "gpu"], parse: parseMemory },
  { field: "throttled", args: ["get_throttled"], parse: parseThrottled },
];

const THERMAL_ZONE0 = "/sys/class/thermal/thermal_zone0/temp";
const CPUFREQ_CUR = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq";

/**
 * Sensors of a Raspberry Pi: the CPU temperature from thermal_zone0, the
 * CPU load from two reads of /proc/stat (as on the PC) and,
 * when `vcgencmd` works, the GPU temperature, clocks, voltages, memory
 * split and the throttled bits (raw hex and decoded flags). Without it the
 * ARM clock comes from cpufreq and under-voltage from the kernel's
 * `rpi_volt` hwmon alarm; the rest is reported absent.
 */
export function createRaspberrySensors(options: RaspberrySensorsOptions): SensorSource {
  const { root, run, log } = options;
  const load = createCpuLoadReader({ root });
  let probed: Promise<SensorStatus[]> | null = null;
  let working: typeof QUERIES = [];
  let undervoltage: string | null = null;
  let cpufreq = false;
  let thermal = false;
  let loadOk = false;
  let fans: string[] = [];
  const failing = new Set<string>();

  const query = async (q: (typeof QUERIES)[number]) => {
    const shown = `vcgencmd ${q.args.join(" ")}`;
    const result = await run("vcgencmd", q.args);
    const value = result.ok ? q.parse(result.stdout) : null;
    if (value === null && !failing.has(shown)) {
      failing.add(shown);
      log?.warn("vcgencmd query failing", {
        query: shown,
        error: result.ok ? `unexpected answer '${result.stdout}'` : result.message,
      });
    } else if (value !== null && failing.delete(shown)) {
      log?.info("vcgencmd query answers again", { query: shown });
    }
    return value;
  };

  async function probe(): Promise<SensorStatus[]> {
    const first = await run("vcgencmd", ["get_throttled"]);
    const answers = first.ok
      ? await Promise.all(QUERIES.map(async (q) => {
        const result = await run("vcgencmd", q.args);
        return result.ok ? q.parse(result.stdout) : null;
      }))
      : QUERIES.map(() => null);
    working = QUERIES.filter((_, i) => answers[i] !== null);
    const noVcgencmd = first.ok ? "" : `${first.message}`;
    thermal = (await readNumber(root, THERMAL_ZONE0)) !== null;
    loadOk = await load.prime();
    cpufreq = (await readNumber(root, CPUFREQ_CUR)) !== null;
    undervoltage = await findUnderVoltageAlarm(root);
    fans = await findFans(root);
    const meminfo = await readKernelFile(root, "/proc/meminfo");
    const hasQuery = (field: string) => working.some((q) => q.field === field);
    const vcgencmdStatus = (q: (typeof QUERIES)[number]): SensorStatus => ({
      field: q.field,
      present: hasQuery(q.field),
      detail: hasQuery(q.field)
        ? `vcgencmd ${q.args.join(" ")}`
        : first.ok
        ? `vcgencmd ${q.args.join(" ")} gives no value`
        : noVcgencmd,
    });
    return [
      {
        field: "CPU_temp_celsius",
        present: thermal,
        detail: thermal ? THERMAL_ZONE0 : `${THERMAL_ZONE0} not readable`,
      },
      { field: "cpu_load_percent", present: loadOk, detail: await describeCpuLoad(root, loadOk) },
      ...QUERIES.map((q) =>
        q.field === "frequency_arm_hz" && !hasQuery(q.field) && cpufreq
          ? { field: q.field, present: true, detail: `${CPUFREQ_CUR} (no vcgencmd)` }
          : vcgencmdStatus(q)
      ),
      {
        field: "under_voltage_alarm",
        present: undervoltage !== null,
        detail: undervoltage ?? "no rpi_volt hwmon in0_lcrit_alarm",
      },
      {
        field: "fan_rpm",
        present: fans.length > 0,
        detail: fans.length > 0 ? `${fans.length} fan(s)` : "no hwmon fan reports a speed",
      },
      {
        field: "memory_used_bytes",
        present: meminfo.ok,
        detail: meminfo.ok ? "/proc/meminfo" : meminfo.message,
      },
    ];
  }

  return {
    profile: "raspberry",
    inventory() {
      probed ??= probe();
      return probed;
    },
    async sample(): Promise<SensorValues> {
      await this.inventory();
      const answers = await Promise.all(working.map(async (q) => [q.field, await query(q)]));
      const values: SensorValues = Object.fromEntries(QUERIES.map((q) => [q.field, null]));
      for (const [field, value] of answers) values[field as string] = value as number | string;
      if (values.frequency_arm_hz === null && cpufreq) {
        const kHz = await readNumber(root, CPUFREQ_CUR);
        values.frequency_arm_hz = kHz === null ? null : kHz * 1000;
      }
      const hex = typeof values.throttled === "string" ? values.throttled : null;
      const alarm = undervoltage ? await readNumber(root, undervoltage) : null;
      return {
        ...values,
        CPU_temp_celsius: thermal ? await readMilliCelsius(root, THERMAL_ZONE0) : null,
        cpu_load_percent: loadOk ? await load.read() : null,
        throttled_flags: hex ? decodeThrottled(hex) : null,
        under_voltage_alarm: alarm === null ? null : alarm !== 0,
        fan_rpm: await readFans(root, fans),
        ...(await readProcValues(root)),
      };
    },
  };
}

/** The under-voltage alarm of the Pi's `rpi_volt` hwmon device, if the kernel has one. */
async function findUnderVoltageAlarm(root: string): Promise<string | null> {
  for (const dir of await listDir(root, "/sys/class/hwmon")) {
    const name = await readKernelFile(root, `/sys/class/hwmon/${dir}/name`);
    const path = `/sys/class/hwmon/${dir}/in0_lcrit_alarm`;
    if (name.ok && name.text === "rpi_volt" && (await readNumber(root, path)) !== null) return path;
  }
  return null;
}

/** `temp=62.3'C` -> 62.3 */
export function parseTemp(stdout: string): number | null {
  return numberAfter(/^temp=([\d.]+)'C$/, stdout);
}

/** `frequency(48)=600117184` -> 600117184 (Hz) */
export function parseFrequency(stdout: string): number | null {
  return numberAfter(/^frequency\(\d+\)=(\d+)$/, stdout);
}

/** `volt=0.8350V` -> 0.835 */
export function parseVolts(stdout: string): number | null {
  return numberAfter(/^volt=([\d.]+)V$/, stdout);
}

/** `arm=948M` -> 948 MiB in bytes (`G` and `K` too) */
export function parseMemory(stdout: string): number | null {
  const match = /^\w+=(\d+)([KMG])$/.exec(stdout.trim());
  if (!match) return null;
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2] as "K" | "M" | "G"];
  return Number(match[1]) * unit;
}

/** `throttled=0x50005` -> `0x50005` */
export function parseThrottled(stdout: string): string | null {
  const hex = /^throttled=(\S+)$/.exec(stdout.trim())?.[1];
  return hex !== undefined && THROTTLED_HEX.test(hex) ? hex : null;
}

function numberAfter(pattern: RegExp, stdout: string): number | null {
  const match = pattern.exec(stdout.trim());
  const value = match ? Number(match[1]) : NaN;
  return Number.isFinite(value) ? value : null;
}
