import { FEATURE_DEFAULTS, type FeatureOptions } from "../shared/scoring/features.ts";
import { MODELS_DEFAULTS } from "../shared/config/models_env.ts";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import type { ModelFiles, ModelRegistry } from "../shared/models/model_registry.ts";
import { type LoadedModel, loadOnnxModel } from "../shared/scoring/onnx/onnx_model.ts";
import { createOnnxScorer } from "../shared/scoring/onnx/onnx_scorer.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";

export interface ModelScorerDeps {
  registry: ModelRegistry;
  clock: Clock;
  log: Logger;
  /** Seconds between registry checks. Default 60. */
  checkIntervalS?: number;
  /** For profiles and devices without a model, and too short windows. Default the rule. */
  fallback?: Scorer;
  features?: FeatureOptions;
  /** Loads and validates a model; onnxruntime by default (replaceable in tests). */
  loadModel?: (files: ModelFiles, features: FeatureOptions) => Promise<LoadedModel>;
}

export interface ModelScorerStats {
  checks: number;
  check_failures: number;
  loaded: number;
  refused: number;
  unloaded: number;
}

export interface ModelScorer extends Scorer {
  /** Loads the registry's models once, then checks every `checkIntervalS` until `stop()`. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One check of the registry now: loads changed models, drops removed ones. */
  check(): Promise<void>;
  /** Name and version of every model in use. */
  models(): { name: string; version: string }[];
  stats(): ModelScorerStats;
}

/**
 * Scores with the registry's ONNX models and keeps them current without a
 * restart. Every `checkIntervalS` it lists the registry (cheap: versions
 * only); a model whose version changed is downloaded, validated (see
 * {@linkcode loadOnnxModel}) and swapped in atomically. A bad model is
 * refused, logged and counted, and the previous one keeps running; the same
 * bad version is not downloaded again.
 *
 * Each device's model is chosen by `chooseModel()` (shared/scoring/, the
 * evaluation's choice too): a device's own model (scope `device`) wins over
 * its profile's; profiles and devices without a model, and windows with too
 * few readings, are scored by the fallback (the rule).
 */
export function createModelScorer(deps: ModelScorerDeps): ModelScorer {
  const { registry, clock, log } = deps;
  const intervalS = deps.checkIntervalS ?? MODELS_DEFAULTS.checkIntervalS;
  if (!(intervalS >= 1)) {
    throw new RangeError(
      `Cannot watch models: 'checkIntervalS' must be at least 1, got ${intervalS}`,
    );
  }
  const features = deps.features ?? FEATURE_DEFAULTS;
  const load = deps.loadModel ?? loadOnnxModel;
  let current = new Map<string, LoadedModel>();
  const refusedVersions = new Map<string, string>();
  const inFlight = new Set<Promise<unknown>>();
  const stats: ModelScorerStats = {
    checks: 0,
    check_failures: 0,
    loaded: 0,
    refused: 0,
    unloaded: 0,
  };
  const stopper = new AbortController();
  let loop: Promise<void> | null = null;
  let checking: Promise<void> | null = null;

  const fallback = deps.fallback ?? createRuleScorer();
  const scorerOver = (models: ReadonlyMap<string, LoadedModel>) =>
    createOnnxScorer({ models, fallback, features });

  /** Releases a replaced model once the scoring calls that may use it have finished. */
  function retire(model: LoadedModel): void {
    Promise.allSettled([...inFlight]).then(() => model.release()).catch((error) =>
      log.error("model not released", { model: model.ref.name, error: (error as Error).message })
    );
  }

  async function checkOnce(): Promise<void> {
    stats.checks++;
    let refs;
    try {
      refs = await registry.list();
    } catch (error) {
      stats.check_failures++;
      log.warn("cannot list models; keeping the ones in use", { error: (error as Error).message });
      return;
    }
    const next = new Map(current);
    const retired: LoadedModel[] = [];
    for (const ref of refs) {
      if (current.get(ref.name)?.ref.version === ref.version) continue;
      if (refusedVersions.get(ref.name) === ref.version) continue;
      try {
        const files = await registry.load(ref.name);
        const model = await load(files, features);
        const old = next.get(ref.name);
        next.set(ref.name, model);
        if (old) retired.push(old);
        stats.loaded++;
        log.info(old ? "model replaced" : "model loaded", {
          model: ref.name,
          version: model.ref.version.slice(0, 12),
          previous: old?.ref.version.slice(0, 12),
        });
      } catch (error) {
        refusedVersions.set(ref.name, ref.version);
        stats.refused++;
        const keeping = current.get(ref.name);
        log.error("model refused", {
          model: ref.name,
          version: ref.version.slice(0, 12),
          error: (error as Error).message,
          keeping: keeping ? keeping.ref.version.slice(0, 12) : "the rule",
        });
      }
    }
    const listed = new Set(refs.map((r) => r.name));
    for (const [name, model] of next) {
      if (listed.has(name)) continue;
      next.delete(name);
      retired.push(model);
      stats.unloaded++;
      log.info("model removed from the registry; using the rule for it", { model: name });
    }
    current = next;
    for (const model of retired) retire(model);
  }

  const check = () => {
    checking ??= checkOnce().finally(() => (checking = null));
    return checking;
  };

  return {
    windowSize: scorerOver(current).windowSize,
    score(inputs) {
      const run = scorerOver(current).score(inputs);
      inFlight.add(run);
      run.then(() => inFlight.delete(run), () => inFlight.delete(run));
      return run;
    },
    async start() {
      if (loop) throw new Error("Cannot start: the model scorer is already running");
      await check();
      loop = (async () => {
        while (!stopper.signal.aborted) {
          try {
            await clock.sleep(intervalS * 1000, stopper.signal);
          } catch (error) {
            if (stopper.signal.aborted) return; // stop() ends the wait
            throw error;
          }
          await check();
        }
      })();
    },
    async stop() {
      stopper.abort();
      await loop;
      await checking;
      await Promise.allSettled([...inFlight]);
      const models = [...current.values()];
      current = new Map();
      await Promise.all(models.map((m) => m.release()));
    },
    check,
    models: () => [...current.values()].map((m) => ({ name: m.ref.name, version: m.ref.version })),
    stats: () => ({ ...stats }),
  };
}
