import type { Logger } from "../shared/log.ts";
import type { SubscribeOptions, Subscription, Transport } from "../shared/transport/transport.ts";
import type { Pipeline } from "./create_pipeline.ts";

export interface ConsumerDeps {
  transport: Transport;
  pipeline: Pipeline;
  subscribe: SubscribeOptions;
  log: Logger;
}

export interface Consumer {
  /** Subscribes and hands every batch to the pipeline. */
  start(): Promise<void>;
  /** Finishes the batch in hand, commits it and stops. */
  stop(): Promise<void>;
  /** Settles when the subscription ends; rejects if it failed. */
  readonly done: Promise<void>;
}

/**
 * Wires a transport subscription to the pipeline, and starts and stops the
 * pipeline's own clock (its offline watch) with it.
 */
export function createConsumer(deps: ConsumerDeps): Consumer {
  const { transport, pipeline, log } = deps;
  let subscription: Subscription | null = null;
  let resolveDone: () => void = () => {};
  let rejectDone: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  return {
    async start() {
      if (subscription) throw new Error("Cannot start: the consumer is already running");
      await pipeline.start();
      try {
        subscription = await transport.subscribe(deps.subscribe, async (batch) => {
          const result = await pipeline.handleBatch(batch);
          log.debug("batch stored", {
            messages: batch.messages.length,
            stored: result.stored,
            duplicates: result.duplicates,
            dead_letters: result.deadLetters,
            alerts: result.alerts,
          });
        });
      } catch (error) {
        await pipeline.stop();
        throw error;
      }
      subscription.done.then(resolveDone, rejectDone);
      log.info("consuming", {
        topics: deps.subscribe.topics.join(",") || undefined,
        pattern: deps.subscribe.topicPattern?.source,
        group: deps.subscribe.groupId,
      });
    },
    async stop() {
      if (!subscription) return;
      await subscription.stop();
      subscription = null;
      await pipeline.stop();
      log.info("consumer stopped", { ...pipeline.stats() });
    },
    done,
  };
}
