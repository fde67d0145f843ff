import assert from "node:assert/strict";
import { createFolderModelRegistry } from "./folder_model_registry.ts";
import type { ModelMetadata } from "./model_metadata.ts";
import { sha256Hex } from "./model_registry.ts";

async function metadataFor(name: string, onnx: Uint8Array): Promise<ModelMetadata> {
  return {
    name,
    scope: "profile",
    profile: "pc",
    features: ["temp_last"],
    window: 12,
    horizon_s: 60,
    threshold: 0.5,
    training: {
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-02T00:00:00.000Z",
      rows: 10,
      positives: 2,
      devices: ["pc1"],
    },
    metrics: { auc: 0.9 },
    created_at: "2026-01-03T00:00:00.000Z",
    onnx_sha256: await sha256Hex(onnx),
  };
}

Deno.test("createFolderModelRegistry() lists and loads models by name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const onnx = new Uint8Array([1, 2, 3]);
    await Deno.writeFile(`${dir}/pc.onnx`, onnx);
    await Deno.writeTextFile(`${dir}/pc.json`, JSON.stringify(await metadataFor("pc", onnx)));
    const registry = createFolderModelRegistry({ dir });
    const hash = await sha256Hex(onnx);
    assert.deepEqual(await registry.list(), [{ name: "pc", version: hash }]);
    const files = await registry.load("pc");
    assert.deepEqual(files.onnx, onnx);
    assert.equal(files.metadata.window, 12);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createFolderModelRegistry() refuses an ONNX file that does not match its metadata hash", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/pc.onnx`, new Uint8Array([9]));
    await Deno.writeTextFile(
      `${dir}/pc.json`,
      JSON.stringify(await metadataFor("pc", new Uint8Array([1]))),
    );
    await assert.rejects(
      createFolderModelRegistry({ dir }).load("pc"),
      /hashes to .* its metadata says/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createFolderModelRegistry() names the field of bad metadata", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/pc.onnx`, new Uint8Array([1]));
    await Deno.writeTextFile(`${dir}/pc.json`, JSON.stringify({ name: "pc" }));
    await assert.rejects(
      createFolderModelRegistry({ dir }).list(),
      /Invalid model metadata .*pc\.json: scope/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createFolderModelRegistry() has no models when the folder is missing", async () => {
  assert.deepEqual(await createFolderModelRegistry({ dir: "/nonexistent/models" }).list(), []);
});
