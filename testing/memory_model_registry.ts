import type { ModelFiles, ModelRef, ModelRegistry } from "../shared/models/model_registry.ts";

/** A ModelRegistry in memory, for tests of what uses one: put, remove, break and count calls. */
export interface MemoryModelRegistry extends ModelRegistry {
  put(files: ModelFiles): void;
  remove(name: string): void;
  /** Makes the next `list()` calls fail with this error until cleared with null. */
  failList(error: Error | null): void;
  readonly calls: { list: number; load: string[] };
}

export function createMemoryModelRegistry(initial: ModelFiles[] = []): MemoryModelRegistry {
  const models = new Map(initial.map((f) => [f.ref.name, f]));
  let listError: Error | null = null;
  const calls = { list: 0, load: [] as string[] };
  return {
    list() {
      calls.list++;
      if (listError) return Promise.reject(listError);
      return Promise.resolve([...models.values()].map((f): ModelRef => ({ ...f.ref })));
    },
    load(name) {
      calls.load.push(name);
      const files = models.get(name);
      return files ? Promise.resolve(files) : Promise.reject(new Error(`No model ${name}`));
    },
    put: (files) => void models.set(files.ref.name, files),
    remove: (name) => void models.delete(name),
    failList: (error) => void (listError = error),
    calls,
  };
}
