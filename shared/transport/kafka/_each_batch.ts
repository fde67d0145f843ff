import type { EachBatchPayload } from "kafkajs";
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { BatchHandler } from "../transport.ts";
import { incomingMessageOf } from "./_incoming_message.ts";
import { keepAlive } from "./_keep_alive.ts";

export interface EachBatchOptions {
  handler: BatchHandler;
  clock: Clock;
  /** How often to heartbeat while the handler works; the consumer's heartbeatInterval. */
  heartbeatMs: number;
  log: Logger;
}

/**
 * kafkajs's `eachBatch` (run with `eachBatchAutoResolve: false`) around a
 * transport handler, for at-least-once delivery:
 *
 * - the handler gets the partition's batch and heartbeats on its own
 *   schedule, so a slow store never gets the member evicted;
 * - only once the handler resolved (everything in the batch is stored) is
 *   the last offset resolved and committed;
 * - a throw resolves and commits nothing: kafkajs fetches the same messages
 *   again after its retry back-off. The error is re-thrown as a plain
 *   `Error`, so kafkajs retries it (a `TypeError` would stop the consumer for
 *   good) and, once its retries are spent, restarts the consumer.
 */
export function createEachBatch(
  options: EachBatchOptions,
): (payload: EachBatchPayload) => Promise<void> {
  const { handler, clock, heartbeatMs, log } = options;
  return async (payload) => {
    const { topic, partition } = payload.batch;
    const messages = payload.batch.messages.map((m) => incomingMessageOf(topic, partition, m));
    if (messages.length === 0) return;
    const first = messages[0]!.offset;
    const last = messages.at(-1)!.offset;
    let heartbeatFailed = false;
    const onHeartbeatError = (error: Error) => {
      if (heartbeatFailed) return;
      heartbeatFailed = true;
      log.warn("heartbeat failed during a batch; finishing it, its commit will tell", {
        topic,
        partition,
        error: error.message,
      });
    };
    const alive = keepAlive({
      beat: payload.heartbeat,
      clock,
      intervalMs: heartbeatMs,
      onError: onHeartbeatError,
    });
    try {
      await handler({
        messages,
        highWatermark: payload.batch.highWatermark,
        heartbeat: () => payload.heartbeat().catch(onHeartbeatError),
      });
    } catch (error) {
      log.warn("batch failed, not committed: it will be delivered again", {
        topic,
        partition,
        offsets: `${first}..${last}`,
        error: (error as Error).message,
      });
      throw new Error(
        `Batch ${topic}[${partition}] ${first}..${last} failed: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      await alive.stop();
    }
    payload.resolveOffset(last);
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset: String(BigInt(last) + 1n) }] }],
    });
  };
}
