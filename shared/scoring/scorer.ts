import type { StressLimits } from "./stressed.ts";
import type { Profile, Reading } from "../reading/mod.ts";

/** What a scorer sees for one reading: the device's recent window ending with it. */
export interface ScoreInput {
  device: string;
  profile: Profile;
  /** Oldest first; the last one is the reading being scored. */
  window: readonly Reading[];
  limits: StressLimits;
}

export interface Score {
  /** Probability that the device is stressed within the horizon, 0 to 1. */
  probability: number;
  /** What produced it: `rule/v1`, or a model name and version. */
  model: string;
  /** Plain-language reasons, most important first. */
  reasons: string[];
  /**
   * The alert threshold that goes with this probability: a trained model's
   * own (chosen on validation data, see models/README.md); absent for the
   * rule, which uses the pipeline's configured threshold.
   */
  threshold?: number;
}

/**
 * Scores a whole batch per call. The rule scorer and the ONNX model scorer
 * both implement it, so the pipeline does not know which one it has.
 */
export interface Scorer {
  /**
   * The most readings a window needs, the scored one included: the pipeline
   * keeps this many per device (1 for the rule, which looks only at the
   * reading scored; the features' window, 12, for a model). A window may be
   * shorter (a new device, a gap); each scorer copes.
   */
  readonly windowSize: number;
  score(inputs: readonly ScoreInput[]): Promise<Score[]>;
}
