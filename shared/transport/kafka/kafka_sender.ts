import { Kafka, type KafkaConfig, type Producer } from "kafkajs";
import type { Logger } from "../../log.ts";
import type { OutgoingMessage } from "../transport.ts";

export interface KafkaSenderOptions {
  /** kafkajs client options, e.g. from `kafkaClientConfig(env)`. */
  kafka: KafkaConfig;
  log: Logger;
  /**
   * Idempotent producer (acks from all in-sync replicas, one request in
   * flight, broker-side de-duplication of retries). Default true.
   */
  idempotent?: boolean;
  /**
   * Let the broker create a topic on first use (one topic per device).
   * Default true; Confluent Cloud refuses it, so create topics there first.
   */
  allowAutoTopicCreation?: boolean;
  /** Give up on one send after this long so the caller can buffer. Default 15 s. */
  sendTimeoutMs?: number;
}

export interface KafkaSender {
  /** Resolves once every message is acknowledged; throws when the cluster cannot take them. */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Whether the last send worked; false before the first one. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

const DEFAULTS = { idempotent: true, allowAutoTopicCreation: true, sendTimeoutMs: 15_000 };

/**
 * The sending side of the Kafka transport. Connects on the first send and
 * again after the connection is lost, keys each message (the device name
 * keeps one device's readings on one partition, in order) and waits for
 * acknowledgement from all in-sync replicas.
 */
export function createKafkaSender(options: KafkaSenderOptions): KafkaSender {
  // `??` rather than a spread: an option passed as undefined takes its default.
  const idempotent = options.idempotent ?? DEFAULTS.idempotent;
  const allowAutoTopicCreation = options.allowAutoTopicCreation ?? DEFAULTS.allowAutoTopicCreation;
  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULTS.sendTimeoutMs;
  if (!Number.isFinite(sendTimeoutMs) || sendTimeoutMs < 100) {
    throw new RangeError(
      `Cannot create Kafka sender: 'sendTimeoutMs' must be at least 100, got ${sendTimeoutMs}`,
    );
  }
  if (
    options.kafka.brokers === undefined ||
    (Array.isArray(options.kafka.brokers) && options.kafka.brokers.length === 0)
  ) {
    throw new RangeError(
      "Cannot create Kafka sender: 'kafka.brokers' must list at least one broker",
    );
  }
  const { log } = options;
  const kafka = new Kafka(options.kafka);
  let producer: Producer | null = null;
  let connecting: Promise<Producer> | null = null;
  let healthy = false;
  let closed = false;

  const connect = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const fresh = kafka.producer({
        idempotent,
        allowAutoTopicCreation,
        ...(idempotent ? { maxInFlightRequests: 1 } : {}),
      });
      fresh.on(fresh.events.DISCONNECT, () => {
        if (producer === fresh) producer = null;
      });
      try {
        await fresh.connect();
      } catch (error) {
        await fresh.disconnect().catch(() => {});
        throw error;
      }
      producer = fresh;
      return fresh;
    })().finally(() => (connecting = null));
    return connecting;
  };

  const sendNow = async (messages: readonly OutgoingMessage[]) => {
    const connected = await connect();
    const byTopic = Map.groupBy(messages, (m) => m.topic);
    await connected.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({
          key: m.key,
          value: toBuffer(m.value),
          ...(m.headers ? { headers: m.headers } : {}),
        })),
      })),
    });
  };

  return {
    async send(messages) {
      if (closed) throw new Error("Cannot send: the Kafka sender is closed");
      if (messages.length === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Kafka did not acknowledge ${messages.length} message(s) within ${sendTimeoutMs} ms`,
              ),
            ),
          sendTimeoutMs,
        );
      });
      try {
        await Promise.race([sendNow(messages), timeout]);
        if (!healthy) log.info("Kafka is taking messages");
        healthy = true;
      } catch (error) {
        if (healthy) log.warn("Kafka send failed", { error: (error as Error).message });
        healthy = false;
        // A producer that timed out may be stuck mid-retry: start afresh next time.
        const stale = producer;
        producer = null;
        await stale?.disconnect().catch(() => {});
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    get healthy() {
      return healthy;
    },
    async close() {
      closed = true;
      const current = producer ?? (await connecting?.catch(() => null)) ?? null;
      producer = null;
      await current?.disconnect();
    },
  };
}

/** kafkajs wants Node Buffers; Deno's node compat provides them. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
