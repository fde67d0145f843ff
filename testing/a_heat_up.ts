import type { PcReading } from "../shared/reading/mod.ts";
import { aPcReading, later } from "./a_reading.ts";

/**
 * A pc heating up at a steady rate from `fromC` to `peakC` and cooling back
 * at the same rate, one reading every 5 s (`steps` up, `steps` down): a
 * recorded heat-up as a test-data factory.
 */
export function aPcHeatUp(
  options: { device?: string; fromC?: number; peakC?: number; steps?: number } = {},
): PcReading[] {
  const { device = "pc1", fromC = 60, peakC = 86.5, steps = 60 } = options;
  const rate = (peakC - fromC) / (steps - 1);
  const first = aPcReading({ device, TemperatureCPUPackage: fromC, LoadCPUTotal: 95 });
  return Array.from({ length: steps * 2 }, (_, i) => {
    const temp = i < steps ? fromC + i * rate : peakC - (i - steps) * rate;
    return i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: round(temp) });
  });
}

const round = (v: number) => Math.round(v * 100) / 100;
