/**
 * The names of a model graph's input and output: the contract between the
 * exporter (models/onnx_export.ts) and the loader ({@linkcode loadOnnxModel}
 * in onnx_model.ts). Here rather than in the exporter so that loading a model
 * never imports the ONNX writer (onnx-proto).
 */

/** The graph's input: raw features, `float32 [N, F]`. */
export const ONNX_INPUT = "features";
/** The graph's output: the probability per row, `float32 [N, 1]`. */
export const ONNX_OUTPUT = "probability";
