/**
 * Kafka protocol numbers for `TestBroker.pushErrors()`, so tests read
 * `pushErrors(ApiKey.Produce, KafkaErrorCode.NotLeaderForPartition)`.
 * Full lists: https://kafka.apache.org/protocol#protocol_api_keys and
 * #protocol_error_codes.
 */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
  InitProducerId: 22,
} as const;

export const KafkaErrorCode = {
  /** librdkafka's mock drops the connection instead of answering. */
  Disconnect: -195,
  UnknownTopicOrPartition: 3,
  LeaderNotAvailable: 5,
  NotLeaderForPartition: 6,
  RequestTimedOut: 7,
  MessageTooLarge: 10,
  CoordinatorLoadInProgress: 14,
  CoordinatorNotAvailable: 15,
  NotCoordinator: 16,
  NotEnoughReplicas: 19,
  IllegalGeneration: 22,
  UnknownMemberId: 25,
  RebalanceInProgress: 27,
  TopicAuthorizationFailed: 29,
} as const;
