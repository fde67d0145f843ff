import onnxProto from "onnx-proto";
import { ONNX_INPUT, ONNX_OUTPUT } from "../shared/scoring/onnx/graph_io.ts";
import type { LogisticModel } from "./logistic_regression.ts";

const { onnx } = onnxProto;

/** ONNX IR version 8 and opset 13: accepted by onnxruntime 1.14 and later (1.30 here). */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

export interface ExportOptions {
  /** Feature names in input order; stored in the model's metadata properties. */
  features: readonly string[];
  /** Model name (a profile or a device). */
  name: string;
}

/**
 * The logistic model as an ONNX graph, standardisation included, so the
 * consumer feeds raw features:
 *
 * `features [N, F]` → Where(IsNaN(x), mean, x) → Sub mean → Div scale →
 * MatMul weights [F, 1] → Add bias → Sigmoid → `probability [N, 1]`.
 */
export function exportOnnx(model: LogisticModel, options: ExportOptions): Uint8Array {
  const width = model.weights.length;
  if (options.features.length !== width) {
    throw new RangeError(
      `Cannot export: ${options.features.length} feature names for ${width} weights`,
    );
  }
  for (const [field, values] of Object.entries({ mean: model.mean, scale: model.scale })) {
    if (values.length !== width) {
      throw new RangeError(
        `Cannot export: '${field}' has ${values.length} values, expected ${width}`,
      );
    }
  }
  const all = [...model.mean, ...model.scale, ...model.weights, model.bias];
  if (!all.every(Number.isFinite)) {
    throw new RangeError("Cannot export: the model has a non-finite coefficient");
  }
  const graph = onnx.GraphProto.create({
    name: `stresswatch_${options.name}`,
    node: [
      node("IsNaN", [ONNX_INPUT], ["missing"]),
      node("Where", ["missing", "mean", ONNX_INPUT], ["filled"]),
      node("Sub", ["filled", "mean"], ["centred"]),
      node("Div", ["centred", "scale"], ["standardised"]),
      node("MatMul", ["standardised", "weights"], ["weighted"]),
      node("Add", ["weighted", "bias"], ["logit"]),
      node("Sigmoid", ["logit"], [ONNX_OUTPUT]),
    ],
    initializer: [
      tensor("mean", [width], model.mean),
      tensor("scale", [width], model.scale),
      tensor("weights", [width, 1], model.weights),
      tensor("bias", [1], [model.bias]),
    ],
    input: [valueInfo(ONNX_INPUT, ["N", width])],
    output: [valueInfo(ONNX_OUTPUT, ["N", 1])],
  });
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: "", version: ONNX_OPSET })],
    producerName: "stresswatch",
    producerVersion: "1",
    modelVersion: 1,
    docString: "P(device stressed within the horizon | features of the last window)",
    metadataProps: [
      onnx.StringStringEntryProto.create({ key: "name", value: options.name }),
      onnx.StringStringEntryProto.create({ key: "features", value: options.features.join(",") }),
    ],
    graph,
  });
  return new Uint8Array(onnx.ModelProto.encode(proto).finish());
}

function node(opType: string, input: string[], output: string[]) {
  return onnx.NodeProto.create({ opType, input, output, name: output[0] });
}

function tensor(name: string, dims: number[], values: readonly number[]) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    floatData: [...values],
  });
}

function valueInfo(name: string, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) =>
            onnx.TensorShapeProto.Dimension.create(
              typeof d === "string" ? { dimParam: d } : { dimValue: d },
            )
          ),
        }),
      }),
    }),
  });
}
