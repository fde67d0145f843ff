import { createFolderModelRegistry } from "/work/main/shared/models/folder_model_registry.ts";
import { loadOnnxModel } from "/work/main/shared/scoring/onnx/onnx_model.ts";
import { createOnnxScorer } from "/work/main/shared/scoring/onnx/onnx_scorer.ts";
import { createRuleScorer } from "/work/main/shared/scoring/rule_scorer.ts";
import { readTraceFolder } from "/work/main/models/evaluate/read_traces.ts";
import { scoreSequence } from "/work/main/models/evaluate/score_trace.ts";
const [dir, dev, from, to] = Deno.args;
const registry = createFolderModelRegistry({ dir });
const models = new Map();
for (const ref of await registry.list()) models.set(ref.name, await loadOnnxModel(await registry.load(ref.name)));
const scorer = createOnnxScorer({ models, fallback: createRuleScorer() });
const traces = await readTraceFolder("/work/shared/real-traces");
const t = traces.find((x: any) => x.device === dev)!;
const s = await scoreSequence(t, scorer, { horizonS: 60, threshold: 0.5 });
for (let i = 0; i < t.readings.length; i++) {
  const r: any = t.readings[i];
  if (r.timestamp < from || r.timestamp > to) continue;
  console.log(r.timestamp.slice(11, 19), r.TemperatureCPUPackage ?? r.cpu_temperature_c ?? "", r.PowerCPUPackage?.toFixed?.(0) ?? "", s.probabilities[i].toFixed(3), s.thresholds[i], s.stressed[i] ? "S" : "");
}
Deno.exit(0);
