import { readKernelFile, readNumber } from "./sysfs.ts";

const RAPL = "/sys/class/powercap/intel-rapl:0";

export type RaplProbe =
  | { present: true; detail: string }
  | { present: false; reason: "missing" | "permission" | "error"; detail: string };

/**
 * CPU package power from Intel RAPL (also on AMD since Zen): the kernel
 * gives a cumulative energy counter in µJ that wraps at
 * `max_energy_range_uj`, so power is ΔE/Δt between two samples. The counter
 * is root-only on current kernels; then power is absent.
 */
export function createRaplPowerReader(options: { root: string; now: () => number }) {
  let previous: { energy: number; time: number } | null = null;
  let range: number | null = null;

  return {
    async probe(): Promise<RaplProbe> {
      const energy = await readKernelFile(options.root, `${RAPL}/energy_uj`);
      if (!energy.ok) {
        return {
          present: false,
          reason: energy.reason,
          detail: energy.reason === "permission"
            ? `${RAPL}/energy_uj is not readable (root-only on current kernels): CPU package power is absent; run as root or grant read access to get it`
            : energy.reason === "missing"
            ? "no RAPL power counter"
            : energy.message,
        };
      }
      range = await readNumber(options.root, `${RAPL}/max_energy_range_uj`);
      previous = { energy: Number(energy.text), time: options.now() };
      return { present: true, detail: `RAPL ${RAPL}/energy_uj` };
    },

    /** Watts since the previous read; null on the first read or when the counter cannot be read. */
    async read(): Promise<number | null> {
      const energy = await readNumber(options.root, `${RAPL}/energy_uj`);
      const time = options.now();
      if (energy === null) return null;
      const before = previous;
      previous = { energy, time };
      if (!before || time <= before.time) return null;
      let delta = energy - before.energy;
      if (delta < 0) {
        if (range === null) return null;
        delta += range;
      }
      const watts = delta / 1e6 / ((time - before.time) / 1000);
      return Math.round(watts * 100) / 100;
    },
  };
}
