import { parseEnvOrReport, processEnv } from "../shared/config/parse_env.ts";
import { createLogger } from "../shared/log.ts";
import { ConsumerConfigSchema } from "./consumer_config.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";

/**
 * `deno task consumer`: reads the device topics from Kafka into the store.
 * SIGTERM or SIGINT: finishes the batch in hand, commits it, disconnects and
 * exits 0. Exits 2 on a configuration error, 1 when the consumer fails.
 */
async function main(): Promise<number> {
  const config = parseEnvOrReport(ConsumerConfigSchema, processEnv());
  if (!config) return 2;
  const log = createLogger({ level: config.LOG_LEVEL, name: "consumer" });
  const stopSignal = Promise.withResolvers<Deno.Signal>();
  const onSignal = (signal: Deno.Signal) => () => stopSignal.resolve(signal);
  const listeners = (["SIGTERM", "SIGINT"] as const).map((signal) => {
    const listener = onSignal(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  try {
    log.info("starting", {
      brokers: config.KAFKA_BROKERS.join(","),
      group: config.CONSUMER_GROUP,
      dead_letters: config.DLQ_TOPIC,
      store: config.KV_PATH ?? `${config.DATA_DIR}/monitor.kv`,
      models: config.MODELS_BUCKET
        ? `s3://${config.MODELS_BUCKET}/${config.MODELS_PREFIX}`
        : config.MODELS_DIR,
    });
    let consumer;
    try {
      consumer = await startKafkaConsumer({ config, log });
    } catch (error) {
      log.error(`cannot start: ${(error as Error).message}`);
      return 1;
    }
    const outcome = await Promise.race([
      stopSignal.promise.then((signal) => ({ signal, error: null })),
      consumer.done.then(
        () => ({ signal: null, error: new Error("the subscription ended by itself") }),
        (error: Error) => ({ signal: null, error }),
      ),
    ]);
    if (outcome.signal) log.info("stopping", { signal: outcome.signal });
    else log.error(`consumer failed: ${outcome.error!.message}`);
    try {
      await consumer.stop();
    } catch (error) {
      log.error(`cannot stop cleanly: ${(error as Error).message}`);
      return 1;
    }
    log.info("stopped");
    return outcome.signal ? 0 : 1;
  } finally {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  }
}

if (import.meta.main) Deno.exit(await main());
