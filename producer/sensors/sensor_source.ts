import type { Profile } from "../../shared/reading/mod.ts";

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
 * A machine's sensors for one profile. Readers take their root folder (`/`
 * normally, a fixture tree in tests) and command runner as dependencies.
 */
export interface SensorSource {
  readonly profile: Profile;
  /** Which fields this machine has sensors for, found once at start. */
  inventory(): Promise<SensorStatus[]>;
  /** One sample of every field in the inventory; absent sensors give null. */
  sample(): Promise<SensorValues>;
}
