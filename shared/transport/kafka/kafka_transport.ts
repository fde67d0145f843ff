import type { KafkaConfig } from "kafkajs";
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { Subscription, Transport } from "../transport.ts";
import { createKafkaSender, type KafkaSenderOptions } from "./kafka_sender.ts";
import { createKafkaSubscriber, type KafkaSubscriberOptions } from "./kafka_subscriber.ts";

export interface KafkaTransportOptions {
  /** kafkajs client options, e.g. from `kafkaClientConfig(env)`. */
  kafka: KafkaConfig;
  log: Logger;
  clock?: Clock;
  /** Sender settings (idempotence, topic auto-creation, send timeout). */
  sender?: Omit<KafkaSenderOptions, "kafka" | "log">;
  /** Subscriber settings (consumer group timings, topic refresh, concurrency). */
  subscriber?: Omit<KafkaSubscriberOptions, "kafka" | "log" | "clock">;
}

/**
 * The Transport port on Kafka: `send` through one idempotent producer
 * (connected on first use), `subscribe` through a consumer group per
 * subscription. `close()` stops every subscription (each commits the batch
 * in hand) and disconnects the producer.
 */
export function createKafkaTransport(options: KafkaTransportOptions): Transport {
  const sender = createKafkaSender({
    ...options.sender,
    kafka: options.kafka,
    log: options.log.child("kafka-sender"),
  });
  const subscriber = createKafkaSubscriber({
    ...options.subscriber,
    kafka: options.kafka,
    log: options.log.child("kafka"),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const subscriptions = new Set<Subscription>();
  let closed = false;

  return {
    send(messages) {
      if (closed) return Promise.reject(new Error("Cannot send: the Kafka transport is closed"));
      return sender.send(messages);
    },
    async subscribe(subscribe, handler) {
      if (closed) throw new Error("Cannot subscribe: the Kafka transport is closed");
      const subscription = await subscriber.subscribe(subscribe, handler);
      subscriptions.add(subscription);
      subscription.done.finally(() => subscriptions.delete(subscription)).catch(() => {});
      return subscription;
    },
    async close() {
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await sender.close();
    },
  };
}
