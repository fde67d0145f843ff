import { InvalidReadingError } from "./invalid_reading_error.ts";
import { LOADING_DATETIME, type Profile, SCHEMA_VERSION } from "./reading_schema.ts";

/** Fields only one profile has, used to tell which profile an old reading is. */
const PROFILE_MARKERS: Record<Profile, readonly string[]> = {
  pc: ["ClockCPUCoreOne", "TemperatureCPUPackage", "LoadCPUTotal", "PowerCPUPackage"],
  raspberry: [
    "CPU_temp_celsius",
    "GPU_temp_celsius",
    "frequency_arm_hz",
    "voltage_core_v",
    "throttled",
  ],
};

/**
 * Upgrades a reading in the old system's format (no `schema_version`, no
 * `profile`, no `timestamp`) to the current contract, leaving current
 * readings as they are:
 *
 * - `profile` is inferred from the fields the reading has;
 * - `timestamp` comes from `loading_datetime`, read as UTC (the old stamp has
 *   no zone), and `loading_datetime` from `timestamp` when only that is given;
 * - `schema_version` is set to the current one.
 *
 * The result still has to pass the schema.
 */
export function upgradeLegacyReading(value: Record<string, unknown>): Record<string, unknown> {
  const upgraded: Record<string, unknown> = { ...value };
  upgraded.schema_version ??= SCHEMA_VERSION;
  if (upgraded.profile === undefined) upgraded.profile = inferProfile(value);
  if (typeof upgraded.throttled === "string" && upgraded.throttled.startsWith("throttled=")) {
    upgraded.throttled = upgraded.throttled.slice("throttled=".length);
  }
  if (upgraded.timestamp === undefined && upgraded.loading_datetime !== undefined) {
    upgraded.timestamp = timestampFromLoadingDatetime(upgraded.loading_datetime);
  } else if (upgraded.loading_datetime === undefined && typeof upgraded.timestamp === "string") {
    upgraded.loading_datetime = loadingDatetimeFrom(new Date(upgraded.timestamp));
  }
  if (upgraded.timestamp === undefined && upgraded.loading_datetime === undefined) {
    throw new InvalidReadingError([{
      field: "timestamp",
      message: "is required (or loading_datetime)",
    }]);
  }
  return upgraded;
}

function inferProfile(value: Record<string, unknown>): Profile {
  const matches = (Object.keys(PROFILE_MARKERS) as Profile[]).filter((profile) =>
    PROFILE_MARKERS[profile].some((field) => field in value)
  );
  if (matches.length === 1) return matches[0]!;
  throw new InvalidReadingError([{
    field: "profile",
    message: matches.length === 0
      ? "is missing and no field tells whether this is a pc or a raspberry reading"
      : "is missing and the fields belong to both the pc and the raspberry profile",
  }]);
}

function timestampFromLoadingDatetime(value: unknown): string {
  if (typeof value !== "string" || !LOADING_DATETIME.test(value)) {
    throw new InvalidReadingError([{
      field: "loading_datetime",
      message: "must look like 2026-01-31@12:00:05",
    }]);
  }
  const date = new Date(`${value.replace("@", "T")}.000Z`);
  if (Number.isNaN(date.getTime()) || loadingDatetimeFrom(date) !== value) {
    throw new InvalidReadingError([{
      field: "loading_datetime",
      message: `'${value}' is not a real date and time`,
    }]);
  }
  return date.toISOString();
}

/** Formats a time as the old `YYYY-MM-DD@HH:MM:SS` stamp, in UTC. */
export function loadingDatetimeFrom(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", "@");
}
