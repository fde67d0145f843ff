import { processEnv } from "../shared/config/parse_env.ts";
import { defineCommand, parseCommandLine } from "../shared/config/parse_flags.ts";
import { storeWhere } from "../shared/store/store_config.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { runUntilSignal } from "../shared/entry_point/run_until_signal.ts";
import { createLogger } from "../shared/log.ts";
import { ConsumerConfigSchema } from "./consumer_config.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";

export const CONSUMER_COMMAND = defineCommand({
  name: "deno task consumer",
  about: `Reads the device topics from Kafka (KAFKA_BROKERS, ...) into the store, scoring
each reading with the models (MODELS_DIR, or MODELS_BUCKET on S3) and alerting.
SIGTERM or Ctrl-C finishes the batch in hand, commits it and exits 0.`,
  flags: {},
  env: ConsumerConfigSchema,
});

/**
 * `deno task consumer`: reads the device topics from Kafka into the store.
 * Exits 0 after a clean stop, 2 on a configuration error, 1 when the
 * consumer cannot start or fails (see `exit_codes.ts`).
 */
async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(CONSUMER_COMMAND, args, processEnv());
  if (typeof line === "number") return line;
  const { config } = line;
  const log = createLogger({
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
    name: "consumer",
  });
  log.info("starting", {
    brokers: config.KAFKA_BROKERS.join(","),
    group: config.CONSUMER_GROUP,
    dead_letters: config.DLQ_TOPIC,
    store: storeWhere(config),
    models: config.MODELS_BUCKET
      ? `s3://${config.MODELS_BUCKET}/${config.MODELS_PREFIX}`
      : config.MODELS_DIR,
  });
  return await runUntilSignal(async () => {
    const consumer = await startKafkaConsumer({ config, log });
    return {
      stop: () => consumer.stop(),
      done: consumer.done.then(() => {
        throw new Error("the subscription ended by itself");
      }),
    };
  }, { log, settings: config });
}

if (import.meta.main) await runCommand(() => main(Deno.args));
