import { z } from "zod";
import {
  bytes,
  celsius,
  hertz,
  megahertz,
  percent,
  rpm,
  seconds,
  volts,
  watts,
} from "./physical_ranges.ts";
import { decodeThrottled, THROTTLED_HEX, ThrottledFlagsSchema } from "./throttled_flags.ts";

/**
 * The reading contract: one zod schema per device profile, shared by the
 * producer, the consumer, the API and the bot.
 *
 * Field names of the two profiles are those of the system this project
 * replaces, so its producers and stored data keep working. Our additions are
 * `schema_version`, `profile`, `timestamp` and optional snake_case fields for
 * what modern sensors give. A sensor a machine does not have is absent or
 * `null`, never a made-up 0.
 *
 * Fields a profile does not know are kept, not dropped and not refused:
 * numbers (or `null`) go under `extra` (at most {@linkcode MAX_EXTRA_FIELDS},
 * names as {@linkcode EXTRA_FIELD_NAME}), anything else refuses the reading
 * (see `parseReading()`). Why: a misspelt field (`TemperatureCPUPackag`) must
 * leave a trace instead of vanishing, yet refusing the whole reading would
 * throw away every good value in it and stop a device's scoring and alerts
 * over one name; and a newer producer with a new sensor keeps working with
 * an older consumer. The consumer logs each unknown field once per device,
 * and the API shows `extra`, so the mistake is seen and the data kept.
 */
export const SCHEMA_VERSION = 1;

export const PROFILES = ["pc", "raspberry"] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * The one rule for device names: 1-64 letters, digits, '.', '_' or '-', and
 * not '.' or '..'. Device names double as Kafka topic names (so they keep to
 * what topics allow, Kafka refusing '.' and '..') and appear in URL paths and
 * file names (where '.' and '..' mean folders).
 */
export const DEVICE_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,64}$/;
/** {@linkcode DEVICE_NAME} in words, for error messages: "must be ${DEVICE_NAME_RULE}". */
export const DEVICE_NAME_RULE = "1-64 letters, digits, '.', '_' or '-', and not '.' or '..'";
/** `YYYY-MM-DD@HH:MM:SS`, the old system's local-time-less stamp. */
export const LOADING_DATETIME = /^\d{4}-\d{2}-\d{2}@\d{2}:\d{2}:\d{2}$/;

/** Most unknown fields a reading keeps under `extra`. */
export const MAX_EXTRA_FIELDS = 16;
/** What an unknown field's name may be to be kept under `extra`. */
export const EXTRA_FIELD_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** A sensor value: present, `null` (sensor missing) or absent. */
const sensor = <T extends z.ZodType>(schema: T, description: string) =>
  schema.nullable().optional().meta({ description });

const common = {
  schema_version: z.literal(SCHEMA_VERSION, {
    error: `must be ${SCHEMA_VERSION}, the only schema version this build knows`,
  }),
  uuid: z.string({ error: "must be a string" })
    .min(1, { error: "must not be empty" })
    .max(64, { error: (i) => `is ${String(i.input).length} characters long, at most 64 allowed` })
    .regex(/^[\x21-\x7e]+$/, { error: "must be printable ASCII without spaces" })
    .meta({ description: "Unique id of the reading; storage is idempotent on it." }),
  device: z.string({ error: "must be a string" })
    .max(64, { error: (i) => `is ${String(i.input).length} characters long, at most 64 allowed` })
    .regex(DEVICE_NAME, { error: `must be ${DEVICE_NAME_RULE}` })
    .meta({ description: "Device name; also the Kafka topic its producer writes to." }),
  timestamp: z.iso.datetime({
    precision: 3,
    error: "must be an ISO 8601 UTC time with milliseconds, like 2026-01-31T12:00:05.000Z",
  }).meta({ description: "When the reading was taken, UTC." }),
  loading_datetime: z.string({ error: "must be a string" })
    .regex(LOADING_DATETIME, { error: "must look like 2026-01-31@12:00:05" })
    .meta({ description: "The old system's time stamp (UTC, no zone); kept for compatibility." }),
  simulated: z.boolean().optional()
    .meta({ description: "True for readings made by the simulator, never by a real sensor." }),
  fan_rpm: z.array(rpm()).max(16).nullable().optional()
    .meta({ description: "Speed of every fan that reports one, RPM." }),
  memory_used_bytes: sensor(bytes(), "Memory in use, bytes."),
  memory_total_bytes: sensor(bytes(), "Installed memory, bytes."),
  load_average_1m: sensor(z.number().min(0).max(10_000), "1-minute load average."),
  uptime_s: sensor(seconds(), "Seconds since boot."),
  extra: z.record(
    z.string().regex(EXTRA_FIELD_NAME, {
      error: "names of unknown fields must be 1-64 letters, digits, '.', '_' or '-'",
    }),
    z.number({ error: "must be a number or null" }).nullable(),
  ).refine((fields) => Object.keys(fields).length <= MAX_EXTRA_FIELDS, {
    error: (issue) =>
      `holds ${
        Object.keys(issue.input as object).length
      } unknown fields, at most ${MAX_EXTRA_FIELDS} are kept`,
  }).optional().meta({
    description:
      "Numeric fields the reading's profile does not know (a newer producer's sensor, or a misspelt name), kept as sent.",
  }),
};

export const PcReadingSchema = z.object({
  ...common,
  profile: z.literal("pc"),
  ClockCPUCoreOne: sensor(megahertz(), "Current clock of CPU core 1, MHz."),
  TemperatureCPUPackage: sensor(celsius(), "CPU package temperature, °C."),
  LoadCPUTotal: sensor(percent(), "Total CPU load, %."),
  PowerCPUPackage: sensor(watts(), "CPU package power, W (RAPL)."),
  TemperatureGPUCore: sensor(celsius(), "GPU core temperature, °C."),
  LoadGPUCore: sensor(percent(), "GPU load, %."),
  cpu_temp_limit_celsius: sensor(
    celsius(),
    "The CPU sensor's own high limit, °C, when it reports one.",
  ),
  cpu_clock_max_mhz: sensor(megahertz(), "Highest clock core 1 can run at, MHz."),
  cpu_throttled: z.boolean({ error: "must be true, false or null" }).nullable().optional().meta({
    description:
      "Whether the CPU reported thermal throttling since the previous reading: a package or core " +
      "throttle counter of /sys/devices/system/cpu/cpu*/thermal_throttle rose (Intel). Null when " +
      "the CPU has no such counters (AMD, most VMs) or they cannot be read; absent from older " +
      "producers.",
  }),
}).meta({ id: "PcReading", description: "A reading from an x86_64 PC." });

export const RaspberryReadingSchema = z.object({
  ...common,
  profile: z.literal("raspberry"),
  GPU_temp_celsius: sensor(celsius(), "GPU temperature (vcgencmd measure_temp), °C."),
  CPU_temp_celsius: sensor(celsius(), "CPU temperature (thermal_zone0), °C."),
  frequency_arm_hz: sensor(hertz(), "ARM clock, Hz."),
  frequency_core_hz: sensor(hertz(), "Core (GPU) clock, Hz."),
  frequency_pwm_hz: sensor(hertz(), "PWM clock, Hz."),
  voltage_core_v: sensor(volts(), "Core voltage, V."),
  voltage_sdram_c_v: sensor(volts(), "SDRAM controller voltage, V."),
  voltage_sdram_i_v: sensor(volts(), "SDRAM I/O voltage, V."),
  voltage_sdram_p_v: sensor(volts(), "SDRAM physical voltage, V."),
  cpu_load_percent: sensor(
    percent(),
    "Total CPU load since the previous reading, % (/proc/stat); absent from the old system's producers.",
  ),
  memory_arm_bytes: sensor(bytes(), "Memory given to the ARM, bytes."),
  memory_gpu_bytes: sensor(bytes(), "Memory given to the GPU, bytes."),
  throttled: z.string({ error: "must be a string like 0x50005" })
    .max(10, { error: "must be at most 10 characters, like 0x50005" })
    .regex(THROTTLED_HEX, { error: "must look like 0x50005" })
    .nullable().optional()
    .meta({ description: "vcgencmd get_throttled, hex." }),
  throttled_flags: ThrottledFlagsSchema.nullable().optional()
    .meta({ description: "The throttled bits decoded; must agree with `throttled`." }),
  under_voltage_alarm: z.boolean().nullable().optional().meta({
    description:
      "The kernel's under-voltage alarm (hwmon rpi_volt in0_lcrit_alarm); what a Pi without vcgencmd can tell.",
  }),
}).superRefine((reading, ctx) => {
  if (!reading.throttled_flags) return;
  if (!reading.throttled) {
    ctx.addIssue({
      code: "custom",
      path: ["throttled_flags"],
      message: "is set but throttled is missing",
    });
    return;
  }
  const expected = decodeThrottled(reading.throttled);
  for (const [name, value] of Object.entries(expected)) {
    if (reading.throttled_flags[name as keyof typeof expected] !== value) {
      ctx.addIssue({
        code: "custom",
        path: ["throttled_flags", name],
        message: `disagrees with throttled ${reading.throttled}`,
      });
    }
  }
}).meta({ id: "RaspberryReading", description: "A reading from a Raspberry Pi." });

export const ReadingSchema = z.discriminatedUnion("profile", [
  PcReadingSchema,
  RaspberryReadingSchema,
])
  .meta({ id: "Reading" });

export type PcReading = z.infer<typeof PcReadingSchema>;
export type RaspberryReading = z.infer<typeof RaspberryReadingSchema>;
export type Reading = z.infer<typeof ReadingSchema>;

/** The schema of one profile. */
export function schemaFor(
  profile: Profile,
): typeof PcReadingSchema | typeof RaspberryReadingSchema {
  return profile === "pc" ? PcReadingSchema : RaspberryReadingSchema;
}
