import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "../shared/clock.ts";

/**
 * Pairing codes: how a chat that is not in `TELEGRAM_ALLOWED_CHAT_IDS`
 * becomes the owner's, by sending `/start <code>` with a code only the
 * service's log shows.
 *
 * The code is derived, not drawn: the HMAC-SHA256 of the time window
 * (`floor(now / ttl)`) keyed with the bot token, as 12 digits. Every process
 * and every Deno Deploy isolate of the same bot computes the same code for
 * the same window with nothing shared but the token, so a code printed by one
 * isolate pairs through any other; a random code per isolate would not. A
 * code is accepted in its own window and the next, so the code printed at a
 * start lives between one and two TTLs; then it expires by itself. Knowing a
 * code tells nothing about the token or about any other window's code.
 */
export interface PairingCode {
  /** `1234-5678-9012`: what the owner types after `/start`. */
  code: string;
  /** When it stops being accepted, ms since epoch. */
  expiresAt: number;
}

export interface Pairing {
  /** The code to print now. */
  current(): PairingCode;
  /** Whether `input` (digits, with or without dashes and spaces) is a code accepted now. */
  verify(input: string): boolean;
  /** The `start` payload of a `https://t.me/<bot>?start=<payload>` link that pairs with `code`. */
  deepLinkPayload(code: PairingCode): string;
}

export interface PairingOptions {
  /** The key: the bot token, which every instance of the service has. */
  secret: string;
  /** Length of a window, ms (at least a minute). */
  ttlMs: number;
  clock: Clock;
}

const DIGITS = 12;
const DOMAIN = "stresswatch pairing code";

export function createPairing(options: PairingOptions): Pairing {
  const { secret, ttlMs, clock } = options;
  if (typeof secret !== "string" || secret.length === 0) {
    throw new RangeError("Cannot make pairing codes: 'secret' is empty");
  }
  if (!Number.isInteger(ttlMs) || ttlMs < 60_000) {
    throw new RangeError(
      `Cannot make pairing codes: 'ttlMs' must be a whole number of ms, at least 60000, got ${ttlMs}`,
    );
  }
  const digitsOf = (window: number): string => {
    const mac = createHmac("sha256", secret).update(`${DOMAIN} ${window}`).digest();
    const value = mac.readBigUInt64BE(0) % 10n ** BigInt(DIGITS);
    return value.toString().padStart(DIGITS, "0");
  };
  const windowAt = (time: number) => Math.floor(time / ttlMs);
  return {
    current() {
      const window = windowAt(clock.now());
      const digits = digitsOf(window);
      return {
        code: `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`,
        expiresAt: (window + 2) * ttlMs,
      };
    },
    verify(input) {
      const digits = typeof input === "string" ? input.replace(/[\s-]/g, "") : "";
      if (!/^\d+$/.test(digits) || digits.length !== DIGITS) return false;
      const window = windowAt(clock.now());
      const given = Buffer.from(digits);
      // Both windows are compared whatever the first gives: the time says nothing.
      const matches = [window, window - 1].map((w) =>
        timingSafeEqual(given, Buffer.from(digitsOf(w)))
      );
      return matches.some(Boolean);
    },
    deepLinkPayload(code) {
      return code.code.replaceAll("-", "");
    },
  };
}
