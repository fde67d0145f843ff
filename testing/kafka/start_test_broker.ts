import { spawnLineProcess } from "./_line_process.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../../shared/transport/kafka/topic_name.ts";

/**
 * A Kafka cluster for tests: librdkafka's mock brokers in a child process
 * (`kafka_test_broker.c`, built by `deno task test:setup:kafka`). Memory only,
 * random free ports on 127.0.0.1, gone when closed or when this process dies.
 *
 * Limits: no CreateTopics (use `topics` or `createTopic()`), no SASL/TLS,
 * about 5 MiB kept per partition, topics a client asks for with
 * `allowAutoTopicCreation: true` (the kafkajs default) spring into existence
 * with 4 partitions.
 *
 * @example
 * ```ts
 * await using broker = await startTestBroker({ brokers: 3, topics: { readings: 3 } });
 * const kafka = new Kafka({ brokers: broker.bootstrap, logLevel: logLevel.NOTHING });
 * ```
 */
export interface StartTestBrokerOptions {
  /** Number of brokers, ids 1..n. Default 1, at most 16. */
  brokers?: number;
  /** Topics to create, name to partition count. */
  topics?: Record<string, number>;
  /**
   * Kafka's group.initial.rebalance.delay.ms: how long the first join of a
   * consumer group waits for more members. Default 0 (Kafka's own is 3000).
   */
  rebalanceDelayMs?: number;
  /** The broker program. Default: the one `build_test_broker.sh` builds. */
  binary?: string | URL;
}

/** A broker id (1..n) or every broker. */
export type BrokerId = number | "all";

export interface TestBroker extends AsyncDisposable {
  /** "127.0.0.1:port" per broker, for kafkajs `brokers`. */
  readonly bootstrap: string[];
  /** The broker process, for checks that it is gone. */
  readonly pid: number;
  /** Drops the broker's connections and refuses new ones (ECONNREFUSED). */
  down(id: BrokerId): Promise<void>;
  /** Accepts connections again. */
  up(id: BrokerId): Promise<void>;
  /** Delays each response of the broker by `ms` (0 to stop). */
  rtt(id: BrokerId, ms: number): Promise<void>;
  /**
   * Makes the next requests of an API fail, one error code each, in order
   * (see `ApiKey` and `KafkaErrorCode`). Counts across all brokers.
   */
  pushErrors(apiKey: number, ...errorCodes: number[]): Promise<void>;
  /** Drops the errors still queued for an API. */
  clearErrors(apiKey: number): Promise<void>;
  /** Creates a topic; fails if it exists. */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Stops the brokers and waits for the process to exit. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_BINARY = new URL(
  "../../.cache/kafka-test-broker/bin/kafka_test_broker",
  import.meta.url,
);
const MAX_BROKERS = 16;
const MAX_PARTITIONS = 1000;

/** Whether the broker program has been built (`deno task test:setup:kafka`). */
export async function brokerAvailable(binary: string | URL = DEFAULT_BINARY): Promise<boolean> {
  try {
    const info = await Deno.stat(binary);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

export async function startTestBroker(options: StartTestBrokerOptions = {}): Promise<TestBroker> {
  const brokers = options.brokers ?? 1;
  const rebalanceDelayMs = options.rebalanceDelayMs ?? 0;
  checkInteger("brokers", brokers, 1, MAX_BROKERS);
  checkInteger("rebalanceDelayMs", rebalanceDelayMs, 0, 300_000);
  const topics = Object.entries(options.topics ?? {});
  for (const [name, partitions] of topics) checkTopic(name, partitions);

  const child = await spawnLineProcess({
    name: "kafka test broker",
    command: options.binary ?? DEFAULT_BINARY,
    args: ["--brokers", String(brokers), "--rebalance-delay-ms", String(rebalanceDelayMs)],
    startTimeoutMs: 10_000,
    killAfterMs: 2_000,
  });

  async function command(line: string): Promise<void> {
    const reply = await child.request(line);
    if (reply !== "ok") {
      throw new Error(`kafka test broker: '${line}' failed: ${reply.replace(/^error /, "")}`);
    }
  }

  function brokerArg(id: BrokerId): string {
    if (id === "all") return "-1";
    checkInteger("broker id", id, 1, brokers);
    return String(id);
  }

  const broker: TestBroker = {
    bootstrap: child.greeting.split(","),
    pid: child.pid,
    down: (id) => command(`down ${brokerArg(id)}`),
    up: (id) => command(`up ${brokerArg(id)}`),
    async rtt(id, ms) {
      checkInteger("rtt ms", ms, 0, 3_600_000);
      await command(`rtt ${brokerArg(id)} ${ms}`);
    },
    async pushErrors(apiKey, ...errorCodes) {
      checkInteger("apiKey", apiKey, 0, 32767);
      if (errorCodes.length === 0 || errorCodes.length > 64) {
        throw new RangeError(
          `Cannot push errors: give 1 to 64 error codes, got ${errorCodes.length}`,
        );
      }
      for (const code of errorCodes) checkInteger("error code", code, -32768, 32767);
      await command(`errors ${apiKey} ${errorCodes.join(" ")}`);
    },
    async clearErrors(apiKey) {
      checkInteger("apiKey", apiKey, 0, 32767);
      await command(`clear ${apiKey}`);
    },
    async createTopic(name, partitions) {
      checkTopic(name, partitions);
      await command(`topic ${name} ${partitions}`);
    },
    close: () => child.close(),
    [Symbol.asyncDispose]: () => child.close(),
  };

  try {
    for (const [name, partitions] of topics) await broker.createTopic(name, partitions);
  } catch (error) {
    await broker.close();
    throw error;
  }
  return broker;
}

function checkInteger(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot use the kafka test broker: '${what}' must be an integer ${min}..${max}, got ${value}`,
    );
  }
}

function checkTopic(name: string, partitions: number): void {
  if (!TOPIC_NAME.test(name)) {
    throw new RangeError(
      `Cannot create topic: name must be ${TOPIC_NAME_RULE}, got '${name}'`,
    );
  }
  checkInteger(`partitions of topic '${name}'`, partitions, 1, MAX_PARTITIONS);
}
