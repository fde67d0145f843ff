import type { OutgoingMessage } from "../../shared/transport/transport.ts";

/**
 * An outgoing message as bytes for the disk buffer: version 1, topic, key
 * (or none) and value. Headers are not kept (the producer sends none).
 */
const VERSION = 1;
const NO_KEY = 0xffff;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function encodeBufferedMessage(message: OutgoingMessage): Uint8Array {
  const topic = encoder.encode(message.topic);
  const key = message.key === null ? null : encoder.encode(message.key);
  if (topic.length > 0xfffe || (key && key.length > 0xfffe)) {
    throw new RangeError("Cannot buffer a message: topic and key must be under 65535 bytes");
  }
  const out = new Uint8Array(1 + 2 + topic.length + 2 + (key?.length ?? 0) + message.value.length);
  const view = new DataView(out.buffer);
  let at = 0;
  view.setUint8(at++, VERSION);
  view.setUint16(at, topic.length);
  out.set(topic, at += 2);
  at += topic.length;
  view.setUint16(at, key === null ? NO_KEY : key.length);
  at += 2;
  if (key) out.set(key, at), (at += key.length);
  out.set(message.value, at);
  return out;
}

export function decodeBufferedMessage(bytes: Uint8Array): OutgoingMessage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 5 || view.getUint8(0) !== VERSION) {
    throw new RangeError(
      `Cannot decode a buffered message: expected version ${VERSION}, got ${bytes[0] ?? "nothing"}`,
    );
  }
  let at = 1;
  const topicLength = view.getUint16(at);
  const topic = decoder.decode(bytes.subarray(at += 2, at += topicLength));
  const keyLength = view.getUint16(at);
  at += 2;
  const key = keyLength === NO_KEY ? null : decoder.decode(bytes.subarray(at, at += keyLength));
  if (at > bytes.length) throw new RangeError("Cannot decode a buffered message: it is cut short");
  return { topic, key, value: bytes.slice(at) };
}
