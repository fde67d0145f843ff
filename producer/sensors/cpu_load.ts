import { readKernelFile } from "./sysfs.ts";

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate `cpu` line of /proc/stat as busy and total jiffies. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const idleAll = idle + iowait;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idleAll };
}

/**
 * Total CPU load, %, from two reads of /proc/stat: the share of time spent
 * busy since the previous read. The first read returns null (nothing to
 * compare with yet) unless `prime()` was called.
 */
export function createCpuLoadReader(options: { root: string }) {
  let previous: CpuTimes | null = null;
  const read = async (): Promise<CpuTimes | null> => {
    const file = await readKernelFile(options.root, "/proc/stat");
    return file.ok ? parseProcStat(file.text) : null;
  };
  return {
    /** Takes the first reference read. */
    async prime(): Promise<boolean> {
      previous = await read();
      return previous !== null;
    },
    async read(): Promise<number | null> {
      const current = await read();
      if (!current) return null;
      const before = previous;
      previous = current;
      if (!before || current.total <= before.total) return null;
      const load = (100 * (current.busy - before.busy)) / (current.total - before.total);
      return Math.round(Math.min(100, Math.max(0, load)) * 10) / 10;
    },
  };
}

/** Where the load comes from, or why there is none, for the inventory. */
export async function describeCpuLoad(root: string, primed: boolean): Promise<string> {
  if (primed) return "/proc/stat";
  const file = await readKernelFile(root, "/proc/stat");
  return file.ok ? "/proc/stat has no cpu line" : file.message;
}
