import type { Score, Scorer } from "../../shared/scoring/scorer.ts";
import type { Profile, Reading } from "../../shared/reading/mod.ts";
import { type DeviceSequence, horizonLabels, stressedFlags } from "../dataset.ts";
import { fitLogistic, type LogisticModel, predictLogistic } from "../logistic_regression.ts";

/**
 * The old system's approach, as a baseline: a logistic regression on the
 * current reading's raw values alone (no window, no trend), trained here on
 * the same readings and labels as our model.
 */
export const SINGLE_READING_FIELDS: Record<Profile, readonly string[]> = {
  pc: ["TemperatureCPUPackage", "LoadCPUTotal", "PowerCPUPackage", "ClockCPUCoreOne"],
  raspberry: ["CPU_temp_celsius", "frequency_arm_hz", "voltage_core_v"],
};

function rowOf(reading: Reading, out: Float64Array | Float32Array, offset: number): void {
  const record = reading as unknown as Record<string, number | null | undefined>;
  SINGLE_READING_FIELDS[reading.profile].forEach((field, j) => {
    out[offset + j] = record[field] ?? NaN;
  });
}

/** Trains the single-reading baseline for one profile. */
export function trainSingleReadingBaseline(
  profile: Profile,
  sequences: readonly DeviceSequence[],
  horizonS: number,
): LogisticModel {
  const width = SINGLE_READING_FIELDS[profile].length;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const sequence of sequences) {
    if (sequence.profile !== profile) continue;
    const labels = horizonLabels(sequence.readings, stressedFlags(sequence), horizonS);
    const row = new Float64Array(width);
    sequence.readings.forEach((reading, i) => {
      const label = labels[i];
      if (label === null || label === undefined) return;
      rowOf(reading, row, 0);
      xs.push(...row);
      ys.push(label);
    });
  }
  return fitLogistic({ rows: ys.length, width, x: xs, y: ys }).model;
}

/** Scores each input's last reading alone with the baseline of its profile (0 without one). */
export function createSingleReadingScorer(models: Partial<Record<Profile, LogisticModel>>): Scorer {
  return {
    windowSize: 1,
    score(inputs) {
      return Promise.resolve(inputs.map((input): Score => {
        const model = models[input.profile];
        const reading = input.window[input.window.length - 1]!;
        if (!model) return { probability: 0, model: "single-reading", reasons: [] };
        const row = new Float64Array(SINGLE_READING_FIELDS[input.profile].length);
        rowOf(reading, row, 0);
        return { probability: predictLogistic(model, row), model: "single-reading", reasons: [] };
      }));
    },
  };
}
