import { encodeBase64 } from "../shared/base64.ts";
import type { DeadLetter } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { IncomingMessage } from "../shared/transport/transport.ts";

/**
 * Where messages that are not readings go, with their original bytes, where
 * they came from and why they were refused. If `send` throws, the consumer
 * must not commit the batch: bad input is never dropped.
 */
export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

/** The embedded sink: dead letters kept in the store. */
export function createStoreDeadLetterSink(store: Store): DeadLetterSink {
  return { send: (letter) => store.saveDeadLetter(letter) };
}

/** A dead letter for `message`; its id is stable, so a redelivery overwrites rather than repeats. */
export function deadLetterOf(message: IncomingMessage, error: Error, now: number): DeadLetter {
  return {
    id: `${message.topic}-${message.partition}-${message.offset}`,
    received_at: new Date(now).toISOString(),
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    error: error.message,
    value_base64: encodeBase64(message.value),
  };
}
