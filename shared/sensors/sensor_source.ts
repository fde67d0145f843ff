import type { Profile } from "../reading/mod.ts";

/** Whether one reading field has a sensor behind it on this machine. */
export interface SensorStatus {
  /** The reading field, e.g. `TemperatureCPUPackage`. */
  field: string;
  present: boolean;
  /** Where the value comes from (`hwmon coretemp temp1`), or why it is absent. */
  detail: string;
}

/** Values of one sample, by reading field; a missing sensor is `null`. */
export type SensorValues = Record<
  string,
  number | string | boolean | number[] | Record<string, boolean> | null
>;

/**
 * A machine's sensors for one profile: the port the producer agent samples.
 * The real sources live in producer/sensors/ (their readers take their root
 * folder, `/` normally or a fixture tree in tests, and command runner as
 * dependencies); the simulator's in models/simulate/simulated_sensors.ts.
 */
export interface SensorSource {
  readonly profile: Profile;
  /** Which fields this machine has sensors for, found once at start. */
  inventory(): Promise<SensorStatus[]>;
  /** One sample of every field in the inventory; absent sensors give null. */
  sample(): Promise<SensorValues>;
}
