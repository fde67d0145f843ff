import { decodeBase64, encodeBase64 } from "../shared/base64.ts";
import { InvalidCursorError } from "../shared/store/store.ts";

/**
 * Signs the store's page cursors on the way out and checks them on the way
 * in, so a cursor the service did not hand out (forged, edited, or taken
 * from another list) is a 400 before it reaches the store.
 *
 * A signed cursor is `<store cursor>.<tag>`, the tag being the first 16
 * bytes of HMAC-SHA-256 over the list's scope (e.g. `readings:pc1`) and the
 * store's cursor, base64url. The store's cursors are base64url too, so the
 * last `.` splits them.
 */
export interface CursorSigner {
  /** The cursor to hand out for a list, or null on its last page. */
  sign(scope: string, cursor: string | null): Promise<string | null>;
  /** The store's cursor inside a signed one; throws {@linkcode InvalidCursorError} for any other. */
  open(scope: string, signed: string): Promise<string>;
}

const TAG_BYTES = 16;

/**
 * A signer keyed by `secret` (at least 16 bytes of it). Every process that
 * serves one deployment must share the secret: see `cursorSecretOf()`.
 */
export function createCursorSigner(secret: string | Uint8Array): CursorSigner {
  const bytes = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  if (bytes.length < 16) {
    throw new RangeError(
      `Cannot sign cursors: the secret must be at least 16 bytes, got ${bytes.length}`,
    );
  }
  const key = crypto.subtle.importKey(
    "raw",
    bytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const tagOf = async (scope: string, cursor: string) => {
    const mac = await crypto.subtle.sign(
      "HMAC",
      await key,
      new TextEncoder().encode(`${scope}\n${cursor}`),
    );
    return new Uint8Array(mac, 0, TAG_BYTES);
  };
  return {
    async sign(scope, cursor) {
      if (cursor === null) return null;
      return `${cursor}.${toBase64Url(await tagOf(scope, cursor))}`;
    },
    async open(scope, signed) {
      const dot = signed.lastIndexOf(".");
      const given = dot > 0 ? fromBase64Url(signed.slice(dot + 1)) : null;
      if (given === null || given.length !== TAG_BYTES) throw new InvalidCursorError(signed);
      const cursor = signed.slice(0, dot);
      if (!sameBytes(given, await tagOf(scope, cursor))) throw new InvalidCursorError(signed);
      return cursor;
    },
  };
}

/** Compares in time that does not depend on where the bytes differ. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    return decodeBase64(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null; // not base64: the caller refuses the cursor
  }
}
