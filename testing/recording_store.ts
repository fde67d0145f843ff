import type { Prediction } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";

/**
 * A store that remembers the last prediction written for each reading (by
 * `saveScored` when it stored the reading, by `replacePredictions`): what
 * the store holds, for tests that compare the scores of whole runs.
 */
export function recordingPredictions(store: Store): {
  store: Store;
  predictions: Map<string, Prediction>;
} {
  const predictions = new Map<string, Prediction>();
  const wrapped: Store = {
    ...store,
    async saveScored(items) {
      const result = await store.saveScored(items);
      const stored = new Set(result.storedUuids);
      for (const item of items) {
        if (stored.has(item.reading.uuid)) predictions.set(item.reading.uuid, item.prediction);
      }
      return result;
    },
    async replacePredictions(items) {
      const replaced = await store.replacePredictions(items);
      for (const item of items) {
        if (predictions.has(item.reading.uuid)) predictions.set(item.reading.uuid, item.prediction);
      }
      return replaced;
    },
  };
  return { store: wrapped, predictions };
}
