/**
 * The scoring core's light parts: what "stressed" means, the features, the
 * Scorer contract, the rule, the alert policy and the choice of a device's
 * model. Training (models/) and serving (consumer/) both import the core and
 * never each other; the service (api/, bot/) may import this module, which
 * loads no native addon.
 *
 * The ONNX pieces (the model loader and scorer, on onnxruntime-node) are not
 * re-exported here: import them from `shared/scoring/onnx/` where needed.
 * `core_boundary_test.ts` checks both rules.
 * @module
 */
export * from "./scorer.ts";
export * from "./stressed.ts";
export * from "./features.ts";
export * from "./rule_scorer.ts";
export * from "./alert_policy.ts";
export * from "./choose_model.ts";
export * from "./model_inputs.ts";
export * from "./rule_floor.ts";
export * from "./explain.ts";
