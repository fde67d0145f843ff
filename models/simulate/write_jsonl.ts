import type { Reading } from "../../shared/reading/mod.ts";
import { fleet, type FleetOptions, simulateDevice, type TraceOptions } from "./simulate_fleet.ts";
import { paramsOf } from "./simulated_device.ts";
import { DEFAULT_HOT_LIMIT_C } from "../../shared/scoring/stressed.ts";

export interface SimulationSummary {
  devices: number;
  readings: number;
}

/**
 * Simulates a fleet into a JSONL file (one reading per line, devices one
 * after the other, each oldest first), calling `onProgress` after each device.
 */
export async function writeSimulation(
  path: string,
  options: FleetOptions & TraceOptions,
  onProgress: (done: SimulationSummary & { total: number; device: string }) => void = () => {},
): Promise<SimulationSummary> {
  const specs = fleet(options);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let readings = 0;
  try {
    for (const [i, spec] of specs.entries()) {
      let chunk: string[] = [];
      for (const reading of simulateDevice(spec, options)) {
        chunk.push(JSON.stringify(reading));
        readings++;
        if (chunk.length === 5000) {
          await writeAll(file, encoder.encode(chunk.join("\n") + "\n"));
          chunk = [];
        }
      }
      if (chunk.length > 0) await writeAll(file, encoder.encode(chunk.join("\n") + "\n"));
      onProgress({ devices: i + 1, readings, total: specs.length, device: spec.name });
    }
  } finally {
    file.close();
  }
  return { devices: specs.length, readings };
}

/**
 * The readings of a simulated fleet, in memory, per device (for training and
 * tests), each with the hot limit its owner would configure for its kind.
 */
export function simulateSequences(
  options: FleetOptions & TraceOptions,
): { device: string; profile: Reading["profile"]; hotLimitC: number; readings: Reading[] }[] {
  return fleet(options).map((spec) => ({
    device: spec.name,
    profile: spec.profile,
    hotLimitC: paramsOf(spec).hotLimitC,
    readings: [...simulateDevice(spec, options)],
  }));
}

/**
 * The fleet's hot limits that differ from their profile's default, as
 * `HOT_LIMITS` takes them (`name=°C,...`): what reading the fleet's JSONL
 * back (`train --jsonl`, `evaluate --test-jsonl`) needs to judge it as
 * simulated. Empty when every device has its profile's default.
 */
export function fleetHotLimits(options: FleetOptions): string {
  return fleet(options)
    .map((spec) => ({ spec, limit: paramsOf(spec).hotLimitC }))
    .filter(({ spec, limit }) => limit !== DEFAULT_HOT_LIMIT_C[spec.profile])
    .map(({ spec, limit }) => `${spec.name}=${limit}`).join(",");
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}
