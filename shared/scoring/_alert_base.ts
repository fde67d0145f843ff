import type { Reading } from "../reading/mod.ts";

/** The fields every alert raised by a reading shares. */
export function alertBase(reading: Reading, now: number) {
  return {
    device: reading.device,
    profile: reading.profile,
    raised_at: new Date(now).toISOString(),
    timestamp: reading.timestamp,
    ...(reading.simulated ? { simulated: true } : {}),
  };
}
