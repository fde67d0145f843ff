import { listDir, readNumber } from "./sysfs.ts";

const CPU_DIR = "/sys/devices/system/cpu";
/** Per CPU, Linux counts how often the package and the core went into thermal throttling (Intel). */
const COUNTERS = ["package_throttle_count", "core_throttle_count"] as const;

/**
 * Whether the CPU throttled since the previous read, from the kernel's
 * thermal throttle event counters
 * (`/sys/devices/system/cpu/cpu*\/thermal_throttle/{package,core}_throttle_count`,
 * Intel only): true when any counter rose. Null when the CPU has no such
 * counters (AMD, most VMs), when one cannot be read, and on the first read
 * after one could not: never a made-up "no".
 */
export function createCpuThrottleReader(options: { root: string }) {
  const { root } = options;
  let files: string[] = [];
  let previous: number[] | null = null;

  const counts = async (): Promise<number[] | null> => {
    const values = await Promise.all(files.map((f) => readNumber(root, f)));
    return values.some((v) => v === null) ? null : values as number[];
  };

  return {
    /** Finds the counters and takes the first reference read. */
    async probe(): Promise<{ present: boolean; detail: string }> {
      const cpus = (await listDir(root, CPU_DIR)).filter((name) => /^cpu\d+$/.test(name));
      const found: string[] = [];
      for (const cpu of cpus) {
        for (const counter of COUNTERS) {
          const path = `${CPU_DIR}/${cpu}/thermal_throttle/${counter}`;
          if ((await readNumber(root, path)) !== null) found.push(path);
        }
      }
      files = found;
      previous = files.length > 0 ? await counts() : null;
      const withCounters = new Set(files.map((f) => f.split("/")[5])).size;
      return files.length > 0
        ? {
          present: true,
          detail:
            `${CPU_DIR}/cpu*/thermal_throttle: package and core throttle counts of ${withCounters} CPUs`,
        }
        : {
          present: false,
          detail:
            "no thermal_throttle counters (Intel CPUs have them; AMD CPUs and most VMs do not)",
        };
    },
    async read(): Promise<boolean | null> {
      if (files.length === 0) return null;
      const current = await counts();
      const before = previous;
      previous = current;
      if (current === null || before === null) return null;
      // A counter that went down was reset (the CPU went offline and back): its value is new events.
      return current.some((n, i) => n > before[i]! || (n < before[i]! && n > 0));
    },
  };
}
