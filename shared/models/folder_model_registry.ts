import { type ModelMetadata, ModelMetadataSchema } from "./model_metadata.ts";
import { type ModelFiles, type ModelRef, type ModelRegistry, sha256Hex } from "./model_registry.ts";

export interface FolderModelRegistryOptions {
  /** Folder holding `<name>.onnx` and `<name>.json` pairs. */
  dir: string;
}

/**
 * The embedded ModelRegistry: a folder with `<name>.onnx` and its metadata
 * `<name>.json`. The version is the ONNX hash the metadata records, so
 * listing reads only the small JSON files. A missing folder has no models.
 */
export function createFolderModelRegistry(options: FolderModelRegistryOptions): ModelRegistry {
  const { dir } = options;

  async function readMetadata(name: string): Promise<ModelMetadata> {
    const path = `${dir}/${name}.json`;
    let json: unknown;
    try {
      json = JSON.parse(await Deno.readTextFile(path));
    } catch (error) {
      throw new Error(`Cannot read model metadata ${path}: ${(error as Error).message}`);
    }
    const parsed = ModelMetadataSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new Error(`Invalid model metadata ${path}: ${first.path.join(".")} ${first.message}`);
    }
    return parsed.data;
  }

  return {
    async list(): Promise<ModelRef[]> {
      const refs: ModelRef[] = [];
      try {
        for await (const entry of Deno.readDir(dir)) {
          if (!entry.isFile || !entry.name.endsWith(".onnx")) continue;
          const name = entry.name.slice(0, -".onnx".length);
          const metadata = await readMetadata(name);
          refs.push({ name, version: metadata.onnx_sha256 });
        }
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return [];
        throw error;
      }
      return refs.sort((a, b) => a.name.localeCompare(b.name));
    },

    async load(name: string): Promise<ModelFiles> {
      const metadata = await readMetadata(name);
      const onnx = await Deno.readFile(`${dir}/${name}.onnx`);
      const hash = await sha256Hex(onnx);
      if (hash !== metadata.onnx_sha256) {
        throw new Error(
          `Model ${name} in ${dir}: the ONNX file hashes to ${hash}, its metadata says ${metadata.onnx_sha256}`,
        );
      }
      return { ref: { name, version: hash }, onnx, metadata };
    },
  };
}
