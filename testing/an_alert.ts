import type { NewAlert } from "../shared/store/records.ts";

/** A valid stress alert raised at `raised_at` for `device`; override any field. */
export function anAlert(
  id: string,
  device: string,
  raised_at: string,
  overrides: Partial<NewAlert> = {},
): NewAlert {
  return {
    id,
    device,
    profile: "pc",
    kind: "stress",
    raised_at,
    timestamp: raised_at,
    reading_uuid: `r-${id}`,
    probability: 0.9,
    threshold: 0.5,
    model: "rule/v1",
    reasons: ["hot"],
    message: `${device} is likely to be stressed within a minute`,
    ...overrides,
  };
}
