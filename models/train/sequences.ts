import type { Reading } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";

/**
 * Groups readings into one sequence per device, oldest first, each uuid
 * once. A device's hot limit comes from `hotLimits` when given.
 */
export function toSequences(
  readings: Iterable<Reading>,
  hotLimits: Record<string, number> = {},
): DeviceSequence[] {
  const byDevice = new Map<string, Map<string, Reading>>();
  for (const reading of readings) {
    const device = byDevice.get(reading.device) ?? new Map<string, Reading>();
    byDevice.set(reading.device, device);
    device.set(reading.uuid, reading);
  }
  return [...byDevice].map(([device, map]) => {
    const sorted = [...map.values()].sort((a, b) =>
      Date.parse(a.timestamp) - Date.parse(b.timestamp)
    );
    return {
      device,
      profile: sorted[0]!.profile,
      readings: sorted.filter((r) => r.profile === sorted[0]!.profile),
      ...(hotLimits[device] !== undefined ? { hotLimitC: hotLimits[device] } : {}),
    };
  }).sort((a, b) => a.device.localeCompare(b.device));
}

/** One refused input line or row, for the training report. */
export interface Refusal {
  source: string;
  line: number;
  error: string;
}
