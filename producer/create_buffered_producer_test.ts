import assert from "node:assert/strict";
import { brokerPeer } from "../testing/kafka/broker_peer.ts";
import { systemClock } from "../shared/clock.ts";
import { decodeReading } from "../shared/reading/mod.ts";
import { startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { readTopic } from "../testing/kafka/read_topic.ts";
import { createAgent } from "./create_agent.ts";
import { createBufferedProducer } from "./create_buffered_producer.ts";
import { machineRoot } from "./sensors/fixtures/machine_fixture.ts";
import { createPcSensors } from "./sensors/pc_sensors.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

const { ignore } = await brokerPeer();

Deno.test({
  name:
    "createBufferedProducer() loses nothing while every broker is down for 10 s under 100 ms sampling",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 1, topics: { vm1: 1 } });
    const bufferDir = await Deno.makeTempDir({ prefix: "producer-fault-" });
    const log = createMemoryLogger("info");
    const producer = await createBufferedProducer({
      kafka: testKafkaConfig(broker.bootstrap),
      bufferDir,
      allowAutoTopicCreation: false,
      sendTimeoutMs: 1000,
      retryMinMs: 100,
      retryMaxMs: 500,
      log,
    });
    const taken: string[] = [];
    const agent = createAgent({
      sensors: createPcSensors({ root: machineRoot("vm_no_sensors") }),
      device: "vm1",
      intervalMs: 100,
      clock: systemClock,
      log,
      deliver: async (reading) => {
        taken.push(reading.uuid);
        await producer.send(reading);
      },
    });
    try {
      await agent.start();
      await systemClock.sleep(1000);
      await broker.down("all");
      await systemClock.sleep(10_000);
      await broker.up("all");
      await systemClock.sleep(500);
      await agent.stop();
      await Promise.race([
        producer.caughtUp(),
        systemClock.sleep(15_000).then(() => assert.fail("the buffer was not replayed in 15 s")),
      ]);
      const stats = producer.stats();
      assert.ok(stats.buffered >= 80, `buffered ${stats.buffered} readings while down`);
      assert.equal(stats.backlog, 0);
    } finally {
      await producer.close();
      await Deno.remove(bufferDir, { recursive: true });
    }
    const wanted = new Set(taken);
    const messages = await readTopic(broker.bootstrap, "vm1", (got) => {
      const seen = new Set(got.map((m) => decodeReading(m.value).uuid));
      return [...wanted].every((uuid) => seen.has(uuid));
    }, 20_000);
    const arrived = messages.map((m) => decodeReading(m.value).uuid);
    const firstSeen = arrived.filter((uuid, i) => arrived.indexOf(uuid) === i);
    assert.deepEqual(firstSeen, taken, "every reading, in the order it was taken");
    assert.ok(messages.every((m) => m.key === "vm1"));
    const events = log.lines.filter((l) => /broker unreachable|replaying|caught up/.test(l));
    assert.deepEqual(events.map((l) => /broker unreachable|replaying|caught up/.exec(l)![0]), [
      "broker unreachable",
      "replaying",
      "caught up",
    ]);
    console.log(
      `  ${taken.length} readings, ${messages.length - firstSeen.length} delivered twice`,
    );
  },
});
