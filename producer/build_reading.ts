import {
  loadingDatetimeFrom,
  parseReading,
  type Profile,
  type Reading,
  SCHEMA_VERSION,
} from "../shared/reading/mod.ts";
import type { SensorValues } from "../shared/sensors/sensor_source.ts";

export interface BuildReadingInput {
  device: string;
  profile: Profile;
  values: SensorValues;
  /** When the sample was taken, ms since epoch. */
  time: number;
  uuid?: string;
  simulated?: boolean;
}

/**
 * Turns one sample into a reading of the shared contract, with both time
 * stamps, and validates it, so a producer never sends what the consumer
 * would refuse. A value outside physics (a sensor glitch) throws
 * InvalidReadingError naming the field.
 */
export function buildReading(input: BuildReadingInput): Reading {
  const date = new Date(input.time);
  return parseReading({
    schema_version: SCHEMA_VERSION,
    profile: input.profile,
    uuid: input.uuid ?? crypto.randomUUID(),
    device: input.device,
    timestamp: date.toISOString(),
    loading_datetime: loadingDatetimeFrom(date),
    ...(input.simulated ? { simulated: true } : {}),
    ...input.values,
  });
}
