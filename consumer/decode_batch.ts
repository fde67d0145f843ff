import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { decodeReading, type Reading } from "../shared/reading/mod.ts";
import type { Batch } from "../shared/transport/transport.ts";
import { deadLetterOf, type DeadLetterSink } from "./dead_letter_sink.ts";
import type { UnknownFieldLog } from "./unknown_fields_log.ts";

/** A decoded reading and the topic-partition it came from. */
export interface Arrival {
  reading: Reading;
  source: string;
}

export interface DecodeBatchDeps {
  deadLetters: DeadLetterSink;
  unknownFields: UnknownFieldLog;
  clock: Clock;
  log: Logger;
  /** Called once per message sent to the dead letters, after the sink took it. */
  onDeadLetter: () => void;
}

/**
 * Decodes a batch's messages into readings in time order; a message that is
 * not a valid reading goes to the dead-letter sink (and a warning to the
 * log), and the batch goes on. If the sink fails, this throws.
 */
export async function decodeBatch(batch: Batch, deps: DecodeBatchDeps): Promise<Arrival[]> {
  const { deadLetters, unknownFields, clock, log } = deps;
  const arrivals: Arrival[] = [];
  for (const message of batch.messages) {
    try {
      const reading = decodeReading(message.value);
      unknownFields.note(reading);
      arrivals.push({ reading, source: `${message.topic}:${message.partition}` });
    } catch (error) {
      await deadLetters.send(deadLetterOf(message, error as Error, clock.now()));
      deps.onDeadLetter();
      log.warn("message refused, sent to dead letters", {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        error: (error as Error).message,
      });
    }
  }
  return arrivals.sort((a, b) => Date.parse(a.reading.timestamp) - Date.parse(b.reading.timestamp));
}
