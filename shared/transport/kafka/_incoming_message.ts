import type { KafkaMessage } from "kafkajs";
import type { IncomingMessage } from "../transport.ts";

const text = new TextDecoder();
const EMPTY = new Uint8Array(0);

/**
 * A kafkajs message as the transport hands it on. A missing value (a
 * tombstone) becomes empty bytes, which the pipeline refuses into the dead
 * letters like any other bad input; a header with several values keeps the
 * first.
 */
export function incomingMessageOf(
  topic: string,
  partition: number,
  message: KafkaMessage,
): IncomingMessage {
  const headers = headersOf(message.headers);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? text.decode(message.key) : null,
    value: message.value
      ? new Uint8Array(message.value.buffer, message.value.byteOffset, message.value.byteLength)
      : EMPTY,
    timestamp: Number(message.timestamp),
    ...(headers ? { headers } : {}),
  };
}

function headersOf(raw: KafkaMessage["headers"]): Record<string, string> | undefined {
  if (!raw) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) continue;
    headers[name] = typeof first === "string" ? first : text.decode(first);
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}
