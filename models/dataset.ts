import type { Profile, Reading } from "../shared/reading/mod.ts";
import {
  FEATURE_DEFAULTS,
  featureNames,
  type FeatureOptions,
  writeFeatures,
} from "../shared/scoring/features.ts";
import { isStressed, limitsFor, type StressLimits } from "../shared/scoring/stressed.ts";

/** How far ahead the label looks, s: stressed at any reading in (t, t + H]. */
export const DEFAULT_HORIZON_S = 60;
/** An owner's verdict counts this many times a derived label. */
export const FEEDBACK_WEIGHT = 5;

/** One device's readings, oldest first, with what training knows beyond them. */
export interface DeviceSequence {
  device: string;
  profile: Profile;
  readings: readonly Reading[];
  /** The device's own hot limit, °C; the profile default when absent. */
  hotLimitC?: number;
  /**
   * Per reading, a given "stressed" value that replaces the definition (the old
   * system's CSV target); undefined entries use the definition.
   */
  stressed?: readonly (boolean | undefined)[];
}

/** An owner's verdict on an alert, as a label for the window that raised it. */
export interface FeedbackLabel {
  device: string;
  /** Time of the reading the alert was raised for, ms. */
  time: number;
  /** True for "right" (it was about to be stressed), false for "wrong". */
  right: boolean;
}

export interface DatasetOptions extends FeatureOptions {
  horizonS: number;
  /**
   * Leave out windows whose last reading is already stressed (unless the
   * owner gave feedback on it): they say nothing about what leads up to an
   * episode, and a stressed reading scores high by persistence anyway (see
   * `STRESSED_NOW_PROBABILITY`). Default false.
   */
  onsetOnly: boolean;
}

export const DATASET_DEFAULTS: DatasetOptions = {
  ...FEATURE_DEFAULTS,
  horizonS: DEFAULT_HORIZON_S,
  onsetOnly: false,
};

/** Windows of one profile as a matrix, with labels, weights and where each came from. */
export interface Dataset {
  profile: Profile;
  names: readonly string[];
  rows: number;
  /** rows × names.length, row-major; NaN for a missing sensor. */
  x: Float32Array;
  y: Uint8Array;
  weight: Float32Array;
  /** Time of the window's last reading, ms. */
  time: Float64Array;
  /** Index into `devices` per row. */
  deviceIndex: Uint16Array;
  devices: string[];
  /** Whether the window's last reading is itself stressed. */
  stressedNow: Uint8Array;
  /** Rows whose label came from owner feedback. */
  feedbackRows: number;
}

/**
 * Per reading, whether it is stressed: the sequence's given value where there
 * is one, else the definition, with the highest clock seen so far as the
 * device's maximum (as the consumer does).
 */
export function stressedFlags(sequence: DeviceSequence): boolean[] {
  let maxClock = 0;
  return sequence.readings.map((reading, i) => {
    if (reading.profile === "pc" && reading.ClockCPUCoreOne != null) {
      maxClock = Math.max(maxClock, reading.ClockCPUCoreOne);
    }
    const given = sequence.stressed?.[i];
    if (given !== undefined) return given;
    return isStressed(reading, limitsAt(sequence, maxClock));
  });
}

function limitsAt(sequence: DeviceSequence, maxClock: number): StressLimits {
  return {
    ...limitsFor(sequence.profile, sequence.hotLimitC),
    observedMaxClockMhz: maxClock > 0 ? maxClock : null,
  };
}

/**
 * Per reading, the label "stressed at any reading in (t, t + H]", or null
 * when the data ends before t + H (unknown, so not used).
 */
export function horizonLabels(
  readings: readonly Reading[],
  stressed: readonly boolean[],
  horizonS: number,
): (0 | 1 | null)[] {
  const times = readings.map((r) => Date.parse(r.timestamp));
  const end = times[times.length - 1] ?? 0;
  const labels: (0 | 1 | null)[] = new Array(readings.length);
  let next = -1; // index of the next stressed reading after i
  for (let i = readings.length - 1; i >= 0; i--) {
    const within = next !== -1 && times[next]! - times[i]! <= horizonS * 1000;
    labels[i] = within ? 1 : end - times[i]! < horizonS * 1000 ? null : 0;
    if (stressed[i]) next = i;
  }
  return labels;
}

/** Builds one profile's windows from device sequences (each sorted oldest first). */
export function buildDataset(
  profile: Profile,
  sequences: readonly DeviceSequence[],
  options:
    & { feedback?: readonly FeedbackLabel[]; onProgress?: (done: number, total: number) => void }
    & Partial<DatasetOptions> = {},
): Dataset {
  const opts: DatasetOptions = { ...DATASET_DEFAULTS, ...options };
  const names = featureNames(profile);
  const mine = sequences.filter((s) => s.profile === profile);
  const capacity = mine.reduce((n, s) => n + s.readings.length, 0);
  const width = names.length;
  const x = new Float32Array(capacity * width);
  const y = new Uint8Array(capacity);
  const weight = new Float32Array(capacity);
  const time = new Float64Array(capacity);
  const deviceIndex = new Uint16Array(capacity);
  const stressedNow = new Uint8Array(capacity);
  const devices: string[] = [];
  const feedbackBy = groupFeedback(options.feedback ?? []);
  let rows = 0;
  let feedbackRows = 0;
  let done = 0;
  for (const sequence of mine) {
    const d = devices.push(sequence.device) - 1;
    const flags = stressedFlags(sequence);
    const labels = horizonLabels(sequence.readings, flags, opts.horizonS);
    const verdicts = feedbackBy.get(sequence.device);
    let maxClock = 0;
    const { readings } = sequence;
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i]!;
      if (reading.profile === "pc" && reading.ClockCPUCoreOne != null) {
        maxClock = Math.max(maxClock, reading.ClockCPUCoreOne);
      }
      const t = Date.parse(reading.timestamp);
      const verdict = verdicts?.get(Math.round(t / 1000));
      const label = verdict === undefined ? labels[i] : verdict ? 1 : 0;
      if (label === null || label === undefined) continue;
      if (opts.onsetOnly && flags[i] && verdict === undefined) continue;
      const window = readings.slice(Math.max(0, i - opts.window + 1), i + 1);
      const limits = limitsAt(sequence, maxClock);
      if (!writeFeatures({ profile, window, limits }, x, rows * width, opts)) continue;
      y[rows] = label;
      weight[rows] = verdict === undefined ? 1 : FEEDBACK_WEIGHT;
      if (verdict !== undefined) feedbackRows++;
      time[rows] = t;
      deviceIndex[rows] = d;
      stressedNow[rows] = flags[i] ? 1 : 0;
      rows++;
    }
    done += readings.length;
    options.onProgress?.(done, capacity);
  }
  return {
    profile,
    names,
    rows,
    x: x.slice(0, rows * width),
    y: y.slice(0, rows),
    weight: weight.slice(0, rows),
    time: time.slice(0, rows),
    deviceIndex: deviceIndex.slice(0, rows),
    devices,
    stressedNow: stressedNow.slice(0, rows),
    feedbackRows,
  };
}

/** Verdicts by device, then by the alert reading's time in whole seconds. */
function groupFeedback(feedback: readonly FeedbackLabel[]): Map<string, Map<number, boolean>> {
  const map = new Map<string, Map<number, boolean>>();
  for (const f of feedback) {
    const byTime = map.get(f.device) ?? new Map<number, boolean>();
    map.set(f.device, byTime);
    byTime.set(Math.round(f.time / 1000), f.right);
  }
  return map;
}

/** The rows of `dataset` that `keep` accepts, as a new dataset. */
export function selectRows(dataset: Dataset, keep: (row: number) => boolean): Dataset {
  const width = dataset.names.length;
  const picked: number[] = [];
  for (let i = 0; i < dataset.rows; i++) if (keep(i)) picked.push(i);
  const x = new Float32Array(picked.length * width);
  picked.forEach((row, j) => x.set(dataset.x.subarray(row * width, (row + 1) * width), j * width));
  const pick = <T extends Uint8Array | Uint16Array | Float32Array | Float64Array>(source: T): T => {
    const out = new (source.constructor as new (n: number) => T)(picked.length);
    picked.forEach((row, j) => (out[j] = source[row]!));
    return out;
  };
  return {
    ...dataset,
    rows: picked.length,
    x,
    y: pick(dataset.y),
    weight: pick(dataset.weight),
    time: pick(dataset.time),
    deviceIndex: pick(dataset.deviceIndex),
    stressedNow: pick(dataset.stressedNow),
    feedbackRows: picked.filter((i) => dataset.weight[i] !== 1).length,
  };
}
