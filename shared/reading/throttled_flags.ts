import { z } from "zod";

/**
 * The bits of a Raspberry Pi's `vcgencmd get_throttled` value.
 *
 * Bits 0-3 say what is happening now, bits 16-19 what has happened since boot.
 */
export const THROTTLED_BITS = {
  under_voltage: 0,
  arm_frequency_capped: 1,
  throttled: 2,
  soft_temperature_limit: 3,
  under_voltage_occurred: 16,
  arm_frequency_capped_occurred: 17,
  throttled_occurred: 18,
  soft_temperature_limit_occurred: 19,
} as const;

export type ThrottledFlagName = keyof typeof THROTTLED_BITS;

export const ThrottledFlagsSchema = z.object(
  Object.fromEntries(
    Object.keys(THROTTLED_BITS).map((name) => [name, z.boolean()]),
  ) as Record<ThrottledFlagName, z.ZodBoolean>,
);

export type ThrottledFlags = z.infer<typeof ThrottledFlagsSchema>;

/** The mask of the "now" bits 0-3: any of them set means the Pi is held back right now. */
export const THROTTLED_NOW_MASK = 0xf;

/** `0x...` as `vcgencmd get_throttled` prints it (after `throttled=`). */
export const THROTTLED_HEX = /^0x[0-9a-fA-F]{1,8}$/;

/**
 * The bits of a `get_throttled` hex value as a number: the one parser of the
 * value, behind every reading of it (the flags below, the stress definition,
 * the features). Throws a RangeError when it is not `0x` and 1-8 hex digits.
 */
export function throttledBits(hex: string): number {
  if (!THROTTLED_HEX.test(hex)) {
    throw new RangeError(
      `Cannot decode throttled value: expected 0x followed by hex digits, got '${hex}'`,
    );
  }
  return Number.parseInt(hex.slice(2), 16);
}

/**
 * Decodes a `get_throttled` hex value into named booleans.
 *
 * @example
 * ```ts
 * decodeThrottled("0x50005").under_voltage; // true
 * ```
 */
export function decodeThrottled(hex: string): ThrottledFlags {
  const value = throttledBits(hex);
  return Object.fromEntries(
    Object.entries(THROTTLED_BITS).map(([name, bit]) => [name, (value & (1 << bit)) !== 0]),
  ) as ThrottledFlags;
}

/** True when the named flag is set, e.g. `hasThrottledFlag("0x50000", "under_voltage_occurred")`. */
export function hasThrottledFlag(hex: string, flag: ThrottledFlagName): boolean {
  return (throttledBits(hex) & (1 << THROTTLED_BITS[flag])) !== 0;
}

/** True when any "now" bit (0-3) is set. */
export function isThrottledNow(hex: string): boolean {
  return (throttledBits(hex) & THROTTLED_NOW_MASK) !== 0;
}
