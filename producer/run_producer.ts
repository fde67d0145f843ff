import { type Clock, systemClock } from "../shared/clock.ts";
import { createLogger, type Logger } from "../shared/log.ts";
import { encodeReading, InvalidReadingError } from "../shared/reading/mod.ts";
import { kafkaClientConfig } from "../shared/transport/kafka/kafka_config.ts";
import { buildReading } from "./build_reading.ts";
import { createAgent, formatInventory } from "./create_agent.ts";
import { createBufferedProducer } from "./create_buffered_producer.ts";
import { parseProducerSettings } from "./producer_config.ts";
import {
  readingJsonSchema,
  registerJsonSchema,
  SchemaRegistryError,
  type SchemaRegistryOptions,
} from "./schema_registry.ts";
import { createCommandRunner } from "./sensors/command_runner.ts";
import { detectSensorSource } from "./sensors/detect_sensor_source.ts";

export interface RunProducerDeps {
  args: readonly string[];
  env: Record<string, string | undefined>;
  hostname: string;
  /** Where readings (`--once`, `--dry-run`) and `--help` go: stdout. */
  print: (line: string) => void;
  /** Where configuration errors go before a logger exists: stderr. */
  printError: (line: string) => void;
  /** Aborts on SIGTERM / SIGINT. */
  stop: AbortSignal;
  clock?: Clock;
  /** Builds the logger for a level; stderr by default. */
  logger?: (level: "debug" | "info" | "warn" | "error") => Logger;
}

/** Load and power need two reads: `--once` waits this long between them. */
const ONCE_SETTLE_MS = 500;

/**
 * The producer command. Returns the exit code: 0 done (or stopped by a
 * signal, everything flushed), 1 could not run, 2 bad flags or environment.
 */
export async function runProducer(deps: RunProducerDeps): Promise<number> {
  const clock = deps.clock ?? systemClock;
  const settings = parseProducerSettings(deps.args, deps.env, deps.hostname, {
    out: deps.print,
    err: deps.printError,
  });
  if (typeof settings === "number") return settings;
  const log = (deps.logger ??
    ((level) => createLogger({ level, format: settings.LOG_FORMAT })))(settings.LOG_LEVEL);
  const root = settings.SENSORS_ROOT;
  const sensors = await detectSensorSource({
    root,
    run: createCommandRunner({ root }),
    profile: settings.PROFILE,
    log: log.child("sensors"),
  });
  const inventory = await sensors.inventory();
  log.info(formatInventory(settings.device, sensors.profile, inventory));

  if (settings.mode === "once") {
    await clock.sleep(ONCE_SETTLE_MS);
    try {
      const values = await sensors.sample();
      const reading = buildReading({
        device: settings.device,
        profile: sensors.profile,
        values,
        time: clock.now(),
      });
      deps.print(JSON.stringify(reading));
      return 0;
    } catch (error) {
      if (!(error instanceof InvalidReadingError)) throw error;
      log.error(`the sensors gave an impossible reading: ${error.message}`);
      return 1;
    }
  }

  let send: (reading: Parameters<typeof encodeReading>[0]) => Promise<unknown>;
  let close = () => Promise.resolve();
  if (settings.mode === "dry-run") {
    send = (reading) => Promise.resolve(deps.print(JSON.stringify(reading)));
  } else {
    const registry: SchemaRegistryOptions | undefined = settings.SCHEMA_REGISTRY_URL
      ? {
        url: settings.SCHEMA_REGISTRY_URL,
        key: settings.SCHEMA_REGISTRY_KEY,
        secret: settings.SCHEMA_REGISTRY_SECRET,
      }
      : undefined;
    if (registry && !(await schemaRegistryUsable(registry, settings.topic, log))) return 1;
    const producer = await createBufferedProducer({
      kafka: kafkaClientConfig(settings.kafka!),
      topic: settings.topic,
      bufferDir: settings.BUFFER_DIR,
      bufferMaxBytes: settings.BUFFER_MAX_BYTES,
      bufferMaxAgeMs: settings.BUFFER_MAX_AGE_H * 3600 * 1000,
      schemaRegistry: registry,
      clock,
      log: log.child("delivery"),
    });
    log.info("sending", {
      brokers: settings.kafka!.KAFKA_BROKERS.join(","),
      topic: settings.topic,
      buffer: settings.BUFFER_DIR,
    });
    send = (reading) => producer.send(reading);
    close = async () => {
      await producer.close();
      const stats = producer.stats();
      log.info("stopped", {
        sent: stats.sent,
        buffered: stats.buffered,
        replayed: stats.replayed,
        still_buffered: stats.backlog,
        dropped: stats.buffer.dropped,
      });
    };
  }

  const agent = createAgent({
    sensors,
    device: settings.device,
    intervalMs: settings.SAMPLE_INTERVAL_S * 1000,
    clock,
    log: log.child("agent"),
    deliver: async (reading) => void (await send(reading)),
  });
  await agent.start();
  if (!deps.stop.aborted) {
    await new Promise((resolve) => deps.stop.addEventListener("abort", resolve, { once: true }));
  }
  log.info("flushing the readings in flight");
  await agent.stop();
  await close();
  return 0;
}

/** Registers the schema at start; false (after saying why) when the registry refuses it for good. */
async function schemaRegistryUsable(
  registry: SchemaRegistryOptions,
  topic: string,
  log: Logger,
): Promise<boolean> {
  try {
    const id = await registerJsonSchema(registry, `${topic}-value`, readingJsonSchema());
    log.info("reading schema registered", { subject: `${topic}-value`, schema_id: id });
    return true;
  } catch (error) {
    if (error instanceof SchemaRegistryError) {
      log.error(`cannot start: ${error.message}`);
      return false;
    }
    log.warn("Schema Registry unreachable: readings wait in the buffer until it answers", {
      error: (error as Error).message,
    });
    return true;
  }
}
