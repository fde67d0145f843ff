import { loadOnnxModel } from "../../shared/scoring/onnx/onnx_model.ts";
import { createOnnxScorer } from "../../shared/scoring/onnx/onnx_scorer.ts";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import type { ScoreInput } from "../../shared/scoring/scorer.ts";
import { MODELS_DEFAULTS } from "../../shared/config/models_env.ts";
import { createFolderModelRegistry } from "../../shared/models/folder_model_registry.ts";
import type { Profile } from "../../shared/reading/mod.ts";
import { FEATURE_DEFAULTS, featureNames, writeFeatures } from "../../shared/scoring/features.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { limitsFor } from "../../shared/scoring/stressed.ts";

/**
 * `deno task bench:models`: how fast the consumer scores. Prints feature
 * extraction cost per window and end-to-end scoring throughput (features +
 * one onnxruntime run per batch) for batches of 1, 100 and 1000 windows,
 * with the shipped models. Each figure runs for about a second.
 */
const dir = Deno.args[0] ?? MODELS_DEFAULTS.dir;
const registry = createFolderModelRegistry({ dir });
const models = new Map<string, Awaited<ReturnType<typeof loadOnnxModel>>>();
for (const ref of await registry.list()) {
  models.set(ref.name, await loadOnnxModel(await registry.load(ref.name)));
}
const sequences = simulateSequences({ devices: 4, hours: 2, seed: 7 });
const windows = (profile: Profile): ScoreInput[] =>
  sequences.filter((s) => s.profile === profile).flatMap((s) =>
    s.readings.slice(FEATURE_DEFAULTS.window - 1).map((_, i) => ({
      device: s.device,
      profile,
      window: s.readings.slice(i, i + FEATURE_DEFAULTS.window),
      limits: limitsFor(profile),
    }))
  );

/** Runs `fn` repeatedly for about `ms` and returns calls per second. */
async function rate(fn: () => unknown, ms = 1000): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm up
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    calls++;
  }
  return calls / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  `Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, models from ${dir}\n`,
);
for (const profile of ["pc", "raspberry"] as const) {
  const inputs = windows(profile);
  const width = featureNames(profile).length;
  const out = new Float32Array(width);
  let k = 0;
  const perSecond = await rate(() => {
    for (let i = 0; i < 1000; i++) writeFeatures(inputs[k++ % inputs.length]!, out, 0);
  });
  console.log(
    `features ${profile.padEnd(9)}: ${(1e6 / (perSecond * 1000)).toFixed(2)} µs per window (${
      fmt(perSecond * 1000)
    } windows/s)`,
  );
}
console.log("");
const scorer = createOnnxScorer({ models, fallback: createRuleScorer() });
for (const profile of ["pc", "raspberry"] as const) {
  if (!models.has(profile)) continue;
  const inputs = windows(profile);
  for (const batch of [1, 100, 1000]) {
    let k = 0;
    const batches = await rate(() => {
      const start = (k++ * batch) % (inputs.length - batch);
      return scorer.score(inputs.slice(start, start + batch));
    });
    console.log(
      `score ${profile.padEnd(9)} batch ${String(batch).padStart(4)}: ${
        fmt(batches * batch).padStart(9)
      } windows/s (${(1000 / batches).toFixed(3)} ms per batch)`,
    );
  }
}
const rss = Deno.memoryUsage().rss / 2 ** 20;
console.log(
  `\nresident memory ${rss.toFixed(0)} MiB (with ${
    sequences.reduce((n, s) => n + s.readings.length, 0)
  } simulated readings held)`,
);
await Promise.all([...models.values()].map((m) => m.release()));
