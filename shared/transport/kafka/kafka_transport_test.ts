import assert from "node:assert/strict";
import { brokerPeer } from "../../../testing/kafka/broker_peer.ts";
import { silentLogger } from "../../log.ts";
import {
  startTestBroker,
  testConsumerConfig,
  testKafkaConfig,
} from "../../../testing/kafka/mod.ts";
import { waitUntil } from "../../../testing/wait_until.ts";
import { createKafkaTransport } from "./kafka_transport.ts";

const { ignore } = await brokerPeer();
const { groupId: _, ...fastGroup } = testConsumerConfig();

Deno.test({
  name:
    "createKafkaTransport() carries keys, values and headers from send() to a subscription, and close() stops it",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 2 } });
    const transport = createKafkaTransport({
      kafka: testKafkaConfig(broker.bootstrap),
      log: silentLogger,
      sender: { allowAutoTopicCreation: false },
      subscriber: { consumer: fastGroup },
    });
    const got: string[] = [];
    const subscription = await transport.subscribe(
      { topics: ["pc1"], groupId: `test-${crypto.randomUUID()}` },
      (
        batch,
      ) => (got.push(
        ...batch.messages.map((m) =>
          `${m.key}:${new TextDecoder().decode(m.value)}:${m.headers?.h ?? "-"}`
        ),
      ),
        Promise.resolve()),
    );
    try {
      await transport.send([
        { topic: "pc1", key: "pc1", value: new TextEncoder().encode("a"), headers: { h: "1" } },
        { topic: "pc1", key: "pc1", value: new TextEncoder().encode("b") },
      ]);
      await waitUntil(() => got.length === 2, { what: "both messages" });
      assert.deepEqual(got, ["pc1:a:1", "pc1:b:-"], "keys, values and headers");
    } finally {
      await transport.close();
    }
    await subscription.done;
    await assert.rejects(
      transport.send([{ topic: "pc1", key: null, value: new Uint8Array() }]),
      /the Kafka transport is closed/,
    );
    await assert.rejects(
      transport.subscribe({ topics: ["pc1"], groupId: "g" }, () => Promise.resolve()),
      /the Kafka transport is closed/,
    );
  },
});
