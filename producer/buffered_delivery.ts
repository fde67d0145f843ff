import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { OutgoingMessage } from "../shared/transport/transport.ts";
import { decodeBufferedMessage, encodeBufferedMessage } from "./buffer/buffered_message.ts";
import type { DiskBuffer } from "./buffer/disk_buffer.ts";

/** Anything that sends messages and resolves once the broker took them (a `KafkaSender`). */
export interface MessageSender {
  send(messages: readonly OutgoingMessage[]): Promise<void>;
}

export interface BufferedDeliveryOptions {
  sender: MessageSender;
  buffer: DiskBuffer;
  clock: Clock;
  log: Logger;
  /** Buffered messages sent per request while replaying. Default 100. */
  batchSize?: number;
  /** First wait before a failed replay is tried again, ms; doubles up to `retryMaxMs`. Default 1000. */
  retryMinMs?: number;
  /** Longest wait between replay attempts, ms. Default 30000. */
  retryMaxMs?: number;
}

export interface BufferedDeliveryStats {
  /** `live`: sending as readings come; `backlog`: buffering while the buffer is replayed. */
  mode: "live" | "backlog";
  /** Sent live. */
  sent: number;
  /** Put in the disk buffer. */
  buffered: number;
  /** Sent from the disk buffer. */
  replayed: number;
  /** Waiting in the disk buffer. */
  backlog: number;
}

export interface BufferedDelivery {
  /**
   * Hands a message over. Resolves once the broker acknowledged it (`sent`)
   * or it is safe in the disk buffer (`buffered`); rejects only when
   * neither worked (the disk failed).
   */
  deliver(message: OutgoingMessage): Promise<"sent" | "buffered">;
  /** Resolves the next time the backlog is empty and live sending resumed. */
  caughtUp(): Promise<void>;
  stats(): BufferedDeliveryStats;
  /**
   * Finishes what is in flight (to the broker or to the buffer), stops the
   * replay and refuses new messages. Closes neither sender nor buffer.
   */
  close(): Promise<void>;
}

const DEFAULTS = { batchSize: 100, retryMinMs: 1000, retryMaxMs: 30_000 };

/**
 * Delivery that loses nothing while the broker is away. Messages go
 * straight to the sender while it works; when a send fails they go to the
 * disk buffer, and so does every later message until a background replay
 * has sent the whole buffer, oldest first, in batches. Then live sending
 * resumes. One device's messages so keep their order, and each is in
 * exactly one place: sent, or in the buffer.
 */
export function createBufferedDelivery(options: BufferedDeliveryOptions): BufferedDelivery {
  const { sender, buffer, clock, log } = options;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const retryMinMs = options.retryMinMs ?? DEFAULTS.retryMinMs;
  const retryMaxMs = options.retryMaxMs ?? DEFAULTS.retryMaxMs;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot deliver: 'batchSize' must be a whole number of at least 1, got ${batchSize}`,
    );
  }
  if (!(retryMinMs >= 10 && retryMaxMs >= retryMinMs)) {
    throw new RangeError(
      `Cannot deliver: 'retryMinMs' must be at least 10 and 'retryMaxMs' at least 'retryMinMs', got ${retryMinMs} and ${retryMaxMs}`,
    );
  }
  const stats = { sent: 0, buffered: 0, replayed: 0 };
  let mode: "live" | "backlog" = buffer.size > 0 ? "backlog" : "live";
  let chain: Promise<unknown> = Promise.resolve();
  let closing = false;
  const stopReplay = new AbortController();
  let replaying: Promise<void> | null = null;
  let waiters: Array<() => void> = [];

  /** Runs one step after every step handed over before it: this keeps the order. */
  const inOrder = <T>(step: () => Promise<T>): Promise<T> => {
    const result = chain.then(step);
    chain = result.catch(() => {});
    return result;
  };

  const replay = async () => {
    let delay = retryMinMs;
    let failing = false;
    let announced = false;
    while (!stopReplay.signal.aborted) {
      const batch = await buffer.peek(batchSize);
      if (batch.records.length === 0) {
        const caught = await inOrder(() => {
          if (buffer.size > 0) return Promise.resolve(false);
          mode = "live";
          return Promise.resolve(true);
        });
        if (!caught) continue;
        log.info("caught up: the buffer is empty, sending live again", {
          replayed: stats.replayed,
        });
        for (const wake of waiters) wake();
        waiters = [];
        return;
      }
      const messages = batch.records.map((r) => decodeBufferedMessage(r.payload));
      try {
        await sender.send(messages);
      } catch (error) {
        if (!failing) {
          log.warn("broker still unreachable; readings stay buffered, retrying", {
            backlog: buffer.size,
            error: (error as Error).message,
          });
        }
        failing = true;
        try {
          await clock.sleep(delay, stopReplay.signal);
        } catch {
          return; // stopped while waiting
        }
        delay = Math.min(delay * 2, retryMaxMs);
        continue;
      }
      if (!announced) log.info("replaying buffered readings", { backlog: buffer.size });
      announced = true;
      failing = false;
      delay = retryMinMs;
      await buffer.commit(batch);
      stats.replayed += messages.length;
    }
  };

  const startReplay = () => {
    replaying ??= replay().catch((error) => {
      log.error("replay of the buffer stopped", { error: (error as Error).message });
    }).finally(() => (replaying = null));
  };

  if (mode === "backlog") {
    log.info("readings buffered by an earlier run will be replayed", { backlog: buffer.size });
    startReplay();
  }

  return {
    deliver(message) {
      if (closing) return Promise.reject(new Error("Cannot deliver: the delivery is closed"));
      return inOrder(async () => {
        if (mode === "live") {
          try {
            await sender.send([message]);
            stats.sent++;
            return "sent" as const;
          } catch (error) {
            mode = "backlog";
            log.warn("broker unreachable: buffering readings on disk", {
              error: (error as Error).message,
            });
          }
        }
        await buffer.append([encodeBufferedMessage(message)]);
        stats.buffered++;
        if (!closing) startReplay();
        return "buffered" as const;
      });
    },

    caughtUp() {
      if (mode === "live") return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },

    stats: () => ({ mode, ...stats, backlog: buffer.size }),

    async close() {
      closing = true;
      await chain;
      stopReplay.abort();
      await replaying;
      for (const wake of waiters) wake();
      waiters = [];
    },
  };
}
