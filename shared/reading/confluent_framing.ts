/**
 * Confluent Schema Registry wire framing: magic byte 0, a 4-byte big-endian
 * schema id, then the payload (JSON here). The old Python producers framed
 * their readings this way.
 */
export const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

export interface Unframed {
  /** The schema id when the bytes were framed, otherwise `null`. */
  schemaId: number | null;
  payload: Uint8Array;
}

/** Splits framed bytes into schema id and payload; plain bytes come back as they are. */
export function unframe(bytes: Uint8Array): Unframed {
  if (bytes.length === 0 || bytes[0] !== MAGIC_BYTE) return { schemaId: null, payload: bytes };
  if (bytes.length < HEADER_BYTES) {
    throw new RangeError(
      `Cannot unframe: a Schema Registry frame needs ${HEADER_BYTES} header bytes, got ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { schemaId: view.getUint32(1, false), payload: bytes.subarray(HEADER_BYTES) };
}

/** Prefixes a payload with the Schema Registry header for `schemaId`. */
export function frame(schemaId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffff_ffff) {
    throw new RangeError(
      `Cannot frame: 'schemaId' must be an unsigned 32-bit integer, got ${schemaId}`,
    );
  }
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out[0] = MAGIC_BYTE;
  new DataView(out.buffer).setUint32(1, schemaId, false);
  out.set(payload, HEADER_BYTES);
  return out;
}
