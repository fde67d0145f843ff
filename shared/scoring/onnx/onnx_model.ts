import * as ort from "onnxruntime-node";
import {
  extractFeatures,
  FEATURE_DEFAULTS,
  featureNames,
  type FeatureOptions,
} from "../features.ts";
import { ONNX_INPUT, ONNX_OUTPUT } from "./graph_io.ts";
import { smokeWindow } from "./smoke_window.ts";
import { limitsFor } from "../stressed.ts";
import type { InputStats, ModelMetadata } from "../../models/model_metadata.ts";
import { contributions, inputStatsInOrder } from "../model_inputs.ts";
import type { ModelFiles, ModelRef } from "../../models/model_registry.ts";

/** A model ready to score: an onnxruntime session and what it was trained as. */
export interface LoadedModel {
  ref: ModelRef;
  metadata: ModelMetadata;
  /** Per feature, in input order: its training range, mean, sd and weight (from `metadata.inputs`). */
  inputs: readonly InputStats[];
  /** The logit's constant: logit = intercept + the inputs' contributions. */
  intercept: number;
  /** Probabilities for `rows` rows of raw features (row-major), one session run. */
  predict(features: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** Thrown when a model cannot be used; the message says why. */
export class ModelRefusedError extends Error {
  constructor(ref: ModelRef, reason: string) {
    super(`Model ${ref.name} (${ref.version.slice(0, 12)}) refused: ${reason}`);
    this.name = "ModelRefusedError";
  }
}

/**
 * Loads an ONNX model with onnxruntime-node (needs --allow-ffi) and checks it
 * before anyone uses it: its features are the scorer's, in order; its window
 * matches; its graph has the expected input and output; and a prediction on
 * a known window is a probability in [0, 1], the same as its metadata's
 * coefficients give (they explain its predictions). A model without input
 * statistics in its metadata (trained before they were kept) is refused: its
 * inputs could not be clipped to their training range. Refuses with
 * {@linkcode ModelRefusedError} otherwise.
 */
export async function loadOnnxModel(
  files: ModelFiles,
  options: FeatureOptions = FEATURE_DEFAULTS,
): Promise<LoadedModel> {
  const { ref, metadata } = files;
  const expected = featureNames(metadata.profile);
  const refuse = (reason: string) => new ModelRefusedError(ref, reason);
  if (metadata.features.join(",") !== expected.join(",")) {
    throw refuse(featureMismatch(metadata.features, expected));
  }
  if (metadata.window !== options.window) {
    throw refuse(
      `it was trained on windows of ${metadata.window} readings, the scorer uses ${options.window}`,
    );
  }
  if (metadata.horizon_s !== options.horizonS) {
    throw refuse(
      `it forecasts ${metadata.horizon_s} s ahead, the scorer's features project ${options.horizonS} s`,
    );
  }
  const inputs = inputStatsInOrder(metadata.features, metadata.inputs);
  if (!inputs || metadata.intercept === undefined) {
    throw refuse(
      "its metadata has no input ranges (inputs, intercept), so inputs unlike its training could not be clipped: it was trained by an older version; retrain it with this one (deno task train)",
    );
  }
  const intercept = metadata.intercept;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(files.onnx);
  } catch (error) {
    throw refuse(`onnxruntime cannot load it: ${(error as Error).message.split("\n")[0]}`);
  }
  const width = expected.length;
  const model: LoadedModel = {
    ref,
    metadata,
    inputs,
    intercept,
    async predict(features, rows) {
      if (features.length !== rows * width) {
        throw new RangeError(
          `Cannot predict: ${features.length} values for ${rows} rows of ${width}`,
        );
      }
      const input = new ort.Tensor("float32", features, [rows, width]);
      const output = await session.run({ [ONNX_INPUT]: input });
      const probability = output[ONNX_OUTPUT];
      if (!probability) throw new Error(`Model ${ref.name} gave no '${ONNX_OUTPUT}' output`);
      return probability.data as Float32Array;
    },
    release: () => session.release(),
  };
  try {
    if (!session.inputNames.includes(ONNX_INPUT) || !session.outputNames.includes(ONNX_OUTPUT)) {
      throw refuse(
        `its graph has inputs [${session.inputNames}] and outputs [${session.outputNames}], expected '${ONNX_INPUT}' and '${ONNX_OUTPUT}'`,
      );
    }
    const window = smokeWindow(metadata.profile);
    const features = Float32Array.from(
      extractFeatures(
        { profile: metadata.profile, window, limits: limitsFor(metadata.profile) },
        options,
      )!,
    );
    let smoke: Float32Array;
    try {
      smoke = await model.predict(features, 1);
    } catch (error) {
      throw refuse(`the smoke prediction failed: ${(error as Error).message.split("\n")[0]}`);
    }
    const p = smoke[0];
    if (smoke.length !== 1 || p === undefined || !(p >= 0 && p <= 1)) {
      throw refuse(`the smoke prediction is not a probability in [0, 1]: [${Array.from(smoke)}]`);
    }
    const logit = contributions(features, 0, inputs).reduce((sum, c) => sum + c, intercept);
    const explained = 1 / (1 + Math.exp(-logit));
    if (!(Math.abs(explained - p) <= 1e-3)) {
      throw refuse(
        `its metadata's coefficients (inputs, intercept) give ${
          explained.toFixed(4)
        } on the smoke window, its graph ${
          p.toFixed(4)
        }: the metadata does not describe this graph`,
      );
    }
    return model;
  } catch (error) {
    await session.release();
    throw error;
  }
}

/** What differs between a model's features and the scorer's, briefly (there are dozens). */
function featureMismatch(got: readonly string[], expected: readonly string[]): string {
  const preview = (names: string[]) =>
    names.slice(0, 3).join(", ") + (names.length > 3 ? `, and ${names.length - 3} more` : "");
  const missing = expected.filter((n) => !got.includes(n));
  const unknown = got.filter((n) => !expected.includes(n));
  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(`lack ${missing.length} the scorer needs (${preview(missing)})`);
  }
  if (unknown.length > 0) {
    parts.push(`include ${unknown.length} the scorer does not compute (${preview(unknown)})`);
  }
  if (parts.length === 0) parts.push("are in another order than the scorer's");
  return `its features ${
    parts.join(" and ")
  }: it was trained by another version of the features; retrain it with this one (deno task train)`;
}
