import type { SensorValues } from "../../shared/sensors/sensor_source.ts";
import { readKernelFile } from "./sysfs.ts";

/**
 * What every Linux machine tells in /proc, whatever its profile: memory in
 * use and installed, the 1-minute load average and the uptime.
 */
export async function readProcValues(root: string): Promise<SensorValues> {
  const [meminfo, loadavg, uptime] = await Promise.all([
    readKernelFile(root, "/proc/meminfo"),
    readKernelFile(root, "/proc/loadavg"),
    readKernelFile(root, "/proc/uptime"),
  ]);
  const memory = meminfo.ok ? parseMeminfo(meminfo.text) : null;
  return {
    memory_used_bytes: memory?.used ?? null,
    memory_total_bytes: memory?.total ?? null,
    load_average_1m: loadavg.ok ? firstNumber(loadavg.text) : null,
    uptime_s: uptime.ok ? roundOrNull(firstNumber(uptime.text)) : null,
  };
}

/** Total and used (total - available) memory in bytes from /proc/meminfo. */
export function parseMeminfo(text: string): { used: number; total: number } | null {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const total = kb("MemTotal");
  const available = kb("MemAvailable");
  return total === null || available === null ? null : { total, used: total - available };
}

function firstNumber(text: string): number | null {
  const value = Number(text.split(/\s+/)[0]);
  return text.trim() !== "" && Number.isFinite(value) ? value : null;
}

const roundOrNull = (value: number | null) => (value === null ? null : Math.round(value));
