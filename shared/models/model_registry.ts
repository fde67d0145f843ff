import type { ModelMetadata } from "./model_metadata.ts";

/** Names one version of one model. */
export interface ModelRef {
  /** A profile (`pc`, `raspberry`) or a device name. */
  name: string;
  /** Changes whenever the model does: a content hash, an S3 version id or an ETag. */
  version: string;
}

export interface ModelFiles {
  ref: ModelRef;
  onnx: Uint8Array;
  metadata: ModelMetadata;
}

/**
 * The ModelRegistry port. Embedded: the `models/` folder. Real: an S3 bucket
 * with versioning.
 */
export interface ModelRegistry {
  /** The current version of every model, cheaply (no ONNX download). */
  list(): Promise<ModelRef[]>;
  /** Downloads one model's current version. */
  load(name: string): Promise<ModelFiles>;
}

/** SHA-256 of bytes as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
