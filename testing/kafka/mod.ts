/**
 * A Kafka-protocol test broker for integration tests (librdkafka's mock
 * cluster in a child process) and the kafkajs settings that suit it.
 * Build it once with `deno task test:setup:kafka`; see README.md.
 *
 * @module
 */
export {
  brokerAvailable,
  type BrokerId,
  startTestBroker,
  type StartTestBrokerOptions,
  type TestBroker,
} from "./start_test_broker.ts";
export { ApiKey, KafkaErrorCode } from "./kafka_protocol_codes.ts";
export { testConsumerConfig, testKafkaConfig, testProducerConfig } from "./kafkajs_test_config.ts";
export { brokerPeer } from "./broker_peer.ts";
