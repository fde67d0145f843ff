import { parseArgs } from "node:util";
import { z } from "zod";
import {
  ConfigError,
  envInt,
  envLogLevel,
  envNumber,
  parseEnv,
} from "../shared/config/parse_env.ts";
import { DEVICE_NAME, DEVICE_NAME_RULE, PROFILES } from "../shared/reading/mod.ts";
import { deviceNameFromHost } from "../start/start_config.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../shared/transport/kafka/topic_name.ts";

/**
 * The producer's settings from the environment; flags override the
 * variables they stand for. The README's configuration table lists them.
 */
export const ProducerEnvSchema = z.object({
  DEVICE_NAME: z.string().regex(DEVICE_NAME, {
    error: `must be ${DEVICE_NAME_RULE}`,
  }).optional(),
  PROFILE: z.enum(PROFILES, { error: "must be pc or raspberry" }).optional(),
  SAMPLE_INTERVAL_S: envNumber(0.1, 3600).default(5),
  SENSORS_ROOT: z.string().default("/"),
  KAFKA_TOPIC: z.string().regex(TOPIC_NAME, {
    error: `must be ${TOPIC_NAME_RULE} (Kafka's rule for topic names)`,
  }).optional(),
  BUFFER_DIR: z.string().default("./data/producer-buffer"),
  BUFFER_MAX_BYTES: envInt(65_536, 2 ** 40).default(160 * 1024 * 1024),
  BUFFER_MAX_AGE_H: envNumber(0.01, 87_600).default(168),
  SCHEMA_REGISTRY_URL: z.url({
    error: "must be a URL like https://psrc-xxxx.region.confluent.cloud",
  })
    .optional(),
  SCHEMA_REGISTRY_KEY: z.string().optional(),
  SCHEMA_REGISTRY_SECRET: z.string().optional(),
  LOG_LEVEL: envLogLevel().default("info"),
}).superRefine((env, ctx) => {
  if ((env.SCHEMA_REGISTRY_KEY === undefined) !== (env.SCHEMA_REGISTRY_SECRET === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [
        env.SCHEMA_REGISTRY_KEY === undefined ? "SCHEMA_REGISTRY_KEY" : "SCHEMA_REGISTRY_SECRET",
      ],
      message: "SCHEMA_REGISTRY_KEY and SCHEMA_REGISTRY_SECRET go together",
    });
  }
});

export type ProducerEnv = z.output<typeof ProducerEnvSchema>;

/** What the producer does: print one reading, sample without sending, or send. */
export type ProducerMode = "once" | "dry-run" | "send" | "help";

export interface ProducerSettings extends ProducerEnv {
  mode: ProducerMode;
  device: string;
  topic: string;
}

/** Flag -> the variable it overrides. */
const FLAGS = {
  interval: "SAMPLE_INTERVAL_S",
  device: "DEVICE_NAME",
  profile: "PROFILE",
  "buffer-dir": "BUFFER_DIR",
  root: "SENSORS_ROOT",
} as const;

export const USAGE = `Usage: producer [options]

Samples this machine's sensors every few seconds and sends each reading to
Kafka; buffers them on disk while the broker cannot be reached.

Options:
  --once              print one reading as JSON and exit
  --dry-run           sample and print readings, send nothing
  --interval <s>      seconds between readings (SAMPLE_INTERVAL_S, default 5)
  --device <name>     device name and topic (DEVICE_NAME, default the host name)
  --profile <p>       pc or raspberry (PROFILE, default detected)
  --buffer-dir <dir>  disk buffer folder (BUFFER_DIR, default ./data/producer-buffer)
  --root <dir>        where /sys and /proc are read from (SENSORS_ROOT, default /)
  --help              show this help

Kafka: KAFKA_BROKERS, KAFKA_CLIENT_ID, KAFKA_USERNAME, KAFKA_PASSWORD, KAFKA_SSL,
KAFKA_TOPIC. See the README for every variable.`;

/**
 * Parses flags and environment into settings. Throws `ConfigError` naming
 * each bad flag or variable (`--interval is 'abc': must be a number`).
 */
export function parseProducerSettings(
  args: readonly string[],
  env: Record<string, string | undefined>,
  hostname: string,
): ProducerSettings {
  let values;
  try {
    values = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        once: { type: "boolean" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        interval: { type: "string" },
        device: { type: "string" },
        profile: { type: "string" },
        "buffer-dir": { type: "string" },
        root: { type: "string" },
      },
    }).values;
  } catch (error) {
    throw new ConfigError([(error as Error).message.replace(/\. To specify.*$/s, "")]);
  }
  if (values.once && values["dry-run"]) {
    throw new ConfigError(["--once and --dry-run cannot be used together"]);
  }
  const overlay: Record<string, string | undefined> = { ...env };
  for (const [flag, variable] of Object.entries(FLAGS)) {
    const value = values[flag as keyof typeof FLAGS];
    if (value !== undefined) overlay[variable] = value;
  }
  let parsed: ProducerEnv;
  try {
    parsed = parseEnv(ProducerEnvSchema, overlay);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.problems.map((problem) => {
      const entry = Object.entries(FLAGS).find(([flag, variable]) =>
        values[flag as keyof typeof FLAGS] !== undefined && problem.startsWith(`${variable} `)
      );
      return entry ? `--${entry[0]}${problem.slice(entry[1].length)}` : problem;
    }));
  }
  const device = parsed.DEVICE_NAME ?? deviceNameFromHost(hostname);
  return {
    ...parsed,
    mode: values.help ? "help" : values.once ? "once" : values["dry-run"] ? "dry-run" : "send",
    device,
    topic: parsed.KAFKA_TOPIC ?? device,
  };
}
