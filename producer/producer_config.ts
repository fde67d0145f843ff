import { z } from "zod";
import { KafkaEnv } from "../shared/config/kafka_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { bothOrNeither, composeEnv, envInt, envNumber } from "../shared/config/parse_env.ts";
import {
  createFlagCheck,
  defineCommand,
  type FlagOutput,
  parseCommandLine,
} from "../shared/config/parse_flags.ts";
import { deviceOf, SensorsEnv } from "./sensors_env.ts";
import { PROFILES } from "../shared/reading/mod.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../shared/transport/kafka/topic_name.ts";
import { DISK_BUFFER_DEFAULTS } from "./buffer/disk_buffer.ts";

/** The producer's own variables, beside the sensors and logging pieces. */
const AgentEnv = z.object({
  PROFILE: z.enum(PROFILES, { error: "must be pc or raspberry" }).optional(),
  KAFKA_TOPIC: z.string().regex(TOPIC_NAME, {
    error: `must be ${TOPIC_NAME_RULE} (Kafka's rule for topic names)`,
  }).optional(),
  BUFFER_DIR: z.string().default("./data/producer-buffer"),
  BUFFER_MAX_BYTES: envInt(65_536, 2 ** 40).default(DISK_BUFFER_DEFAULTS.maxBytes),
  BUFFER_MAX_AGE_H: envNumber(0.01, 87_600).default(DISK_BUFFER_DEFAULTS.maxAgeMs / 3_600_000),
  SCHEMA_REGISTRY_URL: z.url({
    error: "must be a URL like https://psrc-xxxx.region.confluent.cloud",
  }).optional(),
  SCHEMA_REGISTRY_KEY: z.string().optional(),
  SCHEMA_REGISTRY_SECRET: z.string().optional(),
}).superRefine(bothOrNeither("SCHEMA_REGISTRY_KEY", "SCHEMA_REGISTRY_SECRET"));

/**
 * The producer's settings from the environment; flags override the
 * variables they stand for. Kafka's (`KafkaEnv`) are read only when sending.
 * The README's configuration table lists them.
 */
export const ProducerEnvSchema = composeEnv(SensorsEnv, AgentEnv, LogEnv);

export type ProducerEnv = z.output<typeof ProducerEnvSchema>;

/** What the producer does: print one reading, sample without sending, or send. */
export type ProducerMode = "once" | "dry-run" | "send";

export interface ProducerSettings extends ProducerEnv {
  mode: ProducerMode;
  device: string;
  topic: string;
  /** How to reach Kafka; only when sending. */
  kafka?: KafkaEnv;
}

export const PRODUCER_COMMAND = defineCommand({
  name: "producer",
  about: `Samples this machine's sensors every few seconds and sends each reading to
Kafka; buffers them on disk while the broker cannot be reached.`,
  flags: {
    once: { type: "boolean", help: "print one reading as JSON and exit" },
    "dry-run": { type: "boolean", help: "sample and print readings, send nothing" },
    interval: {
      type: "string",
      value: "s",
      env: "SAMPLE_INTERVAL_S",
      help: "seconds between readings",
    },
    device: {
      type: "string",
      value: "name",
      env: "DEVICE_NAME",
      help: "device name and topic; the host name when not given",
    },
    profile: {
      type: "string",
      value: "p",
      env: "PROFILE",
      help: "pc or raspberry; detected when not given",
    },
    "buffer-dir": { type: "string", value: "dir", env: "BUFFER_DIR", help: "disk buffer folder" },
    root: {
      type: "string",
      value: "dir",
      env: "SENSORS_ROOT",
      help: "where /sys and /proc are read from",
    },
  },
  env: ProducerEnvSchema,
  more: `Sending also reads ${Object.keys(KafkaEnv.shape).join(", ")}.`,
});

/**
 * Parses flags and environment into settings, or gives the exit code after
 * printing the help (0) or naming each bad flag or variable (2:
 * `--interval is 'abc': must be a number`).
 */
export function parseProducerSettings(
  args: readonly string[],
  env: Record<string, string | undefined>,
  hostname: string,
  output?: FlagOutput,
): ProducerSettings | number {
  const line = parseCommandLine(PRODUCER_COMMAND, args, env, output);
  if (typeof line === "number") return line;
  const { flags, config } = line;
  const check = createFlagCheck(PRODUCER_COMMAND, output);
  check.expect(!(flags.once && flags["dry-run"]), "--once and --dry-run cannot be used together");
  if (check.report()) return 2;
  const mode: ProducerMode = flags.once ? "once" : flags["dry-run"] ? "dry-run" : "send";
  let kafka: KafkaEnv | undefined;
  if (mode === "send") {
    const sending = parseCommandLine(
      { ...PRODUCER_COMMAND, flags: {}, env: KafkaEnv },
      [],
      env,
      output,
    );
    if (typeof sending === "number") return sending;
    kafka = sending.config;
  }
  const device = deviceOf(config, hostname);
  return { ...config, mode, device, topic: config.KAFKA_TOPIC ?? device, kafka };
}
