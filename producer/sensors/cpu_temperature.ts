import { listDir, readKernelFile, readNumber } from "./sysfs.ts";

/** Where the CPU temperature is read from, found once. */
export interface TemperatureSensor {
  /** File with the temperature in millidegrees Celsius. */
  input: string;
  /** File with the sensor's own high or critical limit, if it has one. */
  limit: string | null;
  detail: string;
}

/** hwmon drivers that report the CPU package, best first. */
const CPU_HWMON = ["coretemp", "k10temp", "zenpower", "cpu_thermal"];
/** Labels of the package sensor within those drivers, best first. */
const PACKAGE_LABELS = ["Package id 0", "Tdie", "Tctl"];
/** Thermal zone types that measure the CPU, best first. */
const CPU_ZONES = ["x86_pkg_temp", "cpu-thermal", "cpu_thermal", "soc_thermal", "acpitz"];

/**
 * Finds the CPU package temperature: hwmon `coretemp` (Intel) or `k10temp`
 * (AMD) first, thermal zones after. Null when the machine has none (a VM).
 */
export async function findCpuTemperature(root: string): Promise<TemperatureSensor | null> {
  const hwmons = await listDir(root, "/sys/class/hwmon");
  const named = await Promise.all(hwmons.map(async (dir) => {
    const name = await readKernelFile(root, `/sys/class/hwmon/${dir}/name`);
    return { dir, name: name.ok ? name.text : "" };
  }));
  for (const driver of CPU_HWMON) {
    const hwmon = named.find((h) => h.name === driver);
    if (!hwmon) continue;
    const base = `/sys/class/hwmon/${hwmon.dir}`;
    const inputs = (await listDir(root, base)).filter((f) => /^temp\d+_input$/.test(f));
    const labelled = await Promise.all(inputs.map(async (input) => {
      const label = await readKernelFile(root, `${base}/${input.replace("_input", "_label")}`);
      return { input, label: label.ok ? label.text : "" };
    }));
    const pick = PACKAGE_LABELS.map((l) => labelled.find((x) => x.label === l)).find(Boolean) ??
      labelled[0];
    if (!pick || (await readNumber(root, `${base}/${pick.input}`)) === null) continue;
    const prefix = `${base}/${pick.input.replace("_input", "")}`;
    const limit = (await readNumber(root, `${prefix}_crit`)) !== null
      ? `${prefix}_crit`
      : (await readNumber(root, `${prefix}_max`)) !== null
      ? `${prefix}_max`
      : null;
    return {
      input: `${base}/${pick.input}`,
      limit,
      detail: `hwmon ${driver} ${pick.label || pick.input.replace("_input", "")}`,
    };
  }
  const zones = (await listDir(root, "/sys/class/thermal")).filter((z) =>
    z.startsWith("thermal_zone")
  );
  const typed = await Promise.all(zones.map(async (zone) => {
    const type = await readKernelFile(root, `/sys/class/thermal/${zone}/type`);
    return { zone, type: type.ok ? type.text : "" };
  }));
  for (const type of CPU_ZONES) {
    const zone = typed.find((z) => z.type === type);
    if (zone && (await readNumber(root, `/sys/class/thermal/${zone.zone}/temp`)) !== null) {
      return {
        input: `/sys/class/thermal/${zone.zone}/temp`,
        limit: null,
        detail: `thermal zone ${zone.zone} (${type})`,
      };
    }
  }
  return null;
}

/** Reads a millidegree file as °C with one decimal, or null. */
export async function readMilliCelsius(root: string, path: string): Promise<number | null> {
  const value = await readNumber(root, path);
  return value === null ? null : Math.round(value / 100) / 10;
}
