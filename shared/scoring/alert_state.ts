import { z } from "zod";

const time = () => z.number().finite();

/**
 * Per-device memory of the policy: JSON, kept by the store between restarts
 * (`saveAlertStates`), at most a few hundred bytes. Times are ms since the
 * epoch, reading time unless said otherwise.
 */
export const AlertStateSchema = z.object({
  /** Time of the newest reading decided: readings at or before it are history. */
  decidedUpTo: time().nullable(),
  /** Time of the reading of the last stress alert. */
  lastAlertAt: time().nullable(),
  /** No stress episode is open: the next "stressed soon" may alert (after the cooldown). */
  armed: z.boolean(),
  /** The open stress episode, from its alert; null when armed. */
  episode: z.object({
    /** Time of the reading that raised its alert. */
    since: time(),
    /** Readings in a row below the re-arm level so far. */
    calm: z.number().int().min(0),
    /** Time of the first of them; null while calm is 0. */
    calmSince: time().nullable(),
  }).nullable(),
  /** Time of the reading of the last under-voltage alert. */
  lastUnderVoltageAt: time().nullable(),
  /** Set by an offline alert until the device's next reading: when its last reading was. */
  offline: z.object({ lastSeen: time() }).nullable(),
});

export type AlertState = z.infer<typeof AlertStateSchema>;

export const INITIAL_ALERT_STATE: AlertState = {
  decidedUpTo: null,
  lastAlertAt: null,
  armed: true,
  episode: null,
  lastUnderVoltageAt: null,
  offline: null,
};

/** The state kept before episodes existed: `{ lastAlertAt, armed }`. */
const LegacyStateSchema = z.strictObject({ lastAlertAt: time().nullable(), armed: z.boolean() });

/**
 * A state read back from the store, checked: the current shape as it is, the
 * shape before episodes (`{ lastAlertAt, armed }`) upgraded (a disarmed one
 * as an episode open since its alert), anything else null (the caller starts
 * the device afresh and says so).
 */
export function alertStateFrom(stored: unknown): AlertState | null {
  const current = AlertStateSchema.safeParse(stored);
  if (current.success) return current.data;
  const legacy = LegacyStateSchema.safeParse(stored);
  if (!legacy.success) return null;
  const { lastAlertAt, armed } = legacy.data;
  const open = !armed && lastAlertAt !== null;
  return {
    ...INITIAL_ALERT_STATE,
    lastAlertAt,
    armed: !open,
    episode: open ? { since: lastAlertAt, calm: 0, calmSince: null } : null,
  };
}
