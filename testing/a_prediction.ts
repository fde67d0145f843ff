import type { Reading } from "../shared/reading/mod.ts";
import type { Prediction } from "../shared/store/records.ts";
import type { ScoredReading } from "../shared/store/store.ts";

/** A prediction for `reading`; override any field. */
export function aPrediction(reading: Reading, overrides: Partial<Prediction> = {}): Prediction {
  return {
    device: reading.device,
    reading_uuid: reading.uuid,
    timestamp: reading.timestamp,
    scored_at: reading.timestamp,
    probability: 0.1,
    threshold: 0.5,
    stressed_soon: false,
    stressed_now: false,
    model: "rule/v1",
    reasons: [],
    ...overrides,
  };
}

/** A reading with a prediction, as the pipeline hands it to the store. */
export function aScored(reading: Reading, overrides: Partial<Prediction> = {}): ScoredReading {
  return { reading, prediction: aPrediction(reading, overrides) };
}
