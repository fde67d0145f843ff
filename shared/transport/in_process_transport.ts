import { type Clock, systemClock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { silentLogger } from "../log.ts";
import type {
  BatchHandler,
  IncomingMessage,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
} from "./transport.ts";

export interface InProcessTransportOptions {
  /** Most messages per batch. Default 500. */
  maxBatch?: number;
  /** Pause before a failed batch is delivered again. Default 1000 ms. */
  retryDelayMs?: number;
  clock?: Clock;
  log?: Logger;
}

const DEFAULTS = { maxBatch: 500, retryDelayMs: 1000 };

interface Topic {
  /** Offset of `messages[0]`. */
  base: number;
  messages: IncomingMessage[];
}

/**
 * The embedded Transport: topics are in-memory logs in this process, each
 * with one partition. Consumer groups keep their own offsets and commit a
 * batch only when the handler resolves (at-least-once, as with Kafka). Logs
 * are trimmed once every group has read them.
 */
export function createInProcessTransport(options: InProcessTransportOptions = {}): Transport {
  const { maxBatch, retryDelayMs } = { ...DEFAULTS, ...options };
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(
      `Cannot create transport: 'maxBatch' must be a positive integer, got ${maxBatch}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const topics = new Map<string, Topic>();
  const groups = new Map<string, Map<string, number>>();
  let wake: (() => void) | null = null;
  let wakeup = new Promise<void>((resolve) => (wake = resolve));
  let closed = false;
  const subscriptions = new Set<Subscription>();

  const notify = () => {
    wake?.();
    wakeup = new Promise<void>((resolve) => (wake = resolve));
  };

  const trim = (name: string) => {
    const topic = topics.get(name)!;
    const positions = [...groups.values()].map((offsets) => offsets.get(name) ?? topic.base);
    if (positions.length === 0) return;
    const drop = Math.min(...positions) - topic.base;
    if (drop > 0) {
      topic.messages.splice(0, drop);
      topic.base += drop;
    }
  };

  return {
    send(messages: readonly OutgoingMessage[]) {
      if (closed) return Promise.reject(new Error("Cannot send: the transport is closed"));
      for (const message of messages) {
        const topic = topics.get(message.topic) ?? { base: 0, messages: [] };
        topics.set(message.topic, topic);
        topic.messages.push({
          topic: message.topic,
          partition: 0,
          offset: String(topic.base + topic.messages.length),
          key: message.key,
          value: message.value,
          timestamp: clock.now(),
          ...(message.headers ? { headers: message.headers } : {}),
        });
      }
      notify();
      return Promise.resolve();
    },

    subscribe(subscribe: SubscribeOptions, handler: BatchHandler) {
      const offsets = groups.get(subscribe.groupId) ?? new Map<string, number>();
      groups.set(subscribe.groupId, offsets);
      const matches = (name: string) =>
        subscribe.topics.includes(name) || (subscribe.topicPattern?.test(name) ?? false);
      const stopper = new AbortController();

      const nextBatch = (): IncomingMessage[] => {
        const batch: IncomingMessage[] = [];
        for (const [name, topic] of topics) {
          if (!matches(name)) continue;
          const from = (offsets.get(name) ?? topic.base) - topic.base;
          batch.push(...topic.messages.slice(from, from + maxBatch - batch.length));
          if (batch.length >= maxBatch) break;
        }
        return batch;
      };

      const stopped = abortPromise(stopper.signal);
      const run = async () => {
        while (!stopper.signal.aborted && !closed) {
          const messages = nextBatch();
          if (messages.length === 0) {
            await Promise.race([wakeup, stopped]);
            continue;
          }
          try {
            await handler({ messages, heartbeat: () => Promise.resolve() });
          } catch (error) {
            log.warn("batch failed, delivering it again", {
              messages: messages.length,
              retry_in_ms: retryDelayMs,
              error: (error as Error).message,
            });
            await clock.sleep(retryDelayMs, stopper.signal).catch(() => {});
            continue;
          }
          for (const message of messages) offsets.set(message.topic, Number(message.offset) + 1);
          for (const name of new Set(messages.map((m) => m.topic))) trim(name);
        }
      };

      const done = run();
      const subscription: Subscription = {
        async stop() {
          stopper.abort();
          subscriptions.delete(subscription);
          await done;
        },
        done,
      };
      subscriptions.add(subscription);
      return Promise.resolve(subscription);
    },

    async close() {
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      notify();
    },
  };
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
