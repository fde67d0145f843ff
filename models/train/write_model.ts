import { type ModelMetadata, ModelMetadataSchema } from "../../shared/models/model_metadata.ts";
import { sha256Hex } from "../../shared/models/model_registry.ts";
import type { TrainedModel } from "./train_models.ts";

/**
 * Writes `<dir>/<name>.onnx`, then `<dir>/<name>.json` with the ONNX hash,
 * each through a temporary file and a rename, ONNX first: a consumer reading
 * the folder meanwhile sees the old pair or the new one (the version is the
 * hash in the JSON, so a new ONNX under old JSON is never taken as new).
 */
export async function writeModel(dir: string, trained: TrainedModel): Promise<ModelMetadata> {
  const metadata = ModelMetadataSchema.parse({
    ...trained.metadata,
    onnx_sha256: await sha256Hex(trained.onnx),
  });
  await Deno.mkdir(dir, { recursive: true });
  const base = `${dir}/${metadata.name}`;
  await Deno.writeFile(`${base}.onnx.tmp`, trained.onnx);
  await Deno.rename(`${base}.onnx.tmp`, `${base}.onnx`);
  await Deno.writeTextFile(`${base}.json.tmp`, JSON.stringify(metadata, null, 2) + "\n");
  await Deno.rename(`${base}.json.tmp`, `${base}.json`);
  return metadata;
}
