import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { type ModelMetadata, ModelMetadataSchema } from "./model_metadata.ts";
import { type ModelFiles, type ModelRef, type ModelRegistry, sha256Hex } from "./model_registry.ts";

export interface S3ModelRegistryOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the models, e.g. `models/`; "" for the bucket's root. */
  prefix?: string;
}

/** The S3 user-metadata key on `<name>.json` naming the ONNX object version it describes. */
export const ONNX_VERSION_KEY = "onnx-version-id";

/**
 * The ModelRegistry on an S3 bucket with versioning: `<prefix><name>.onnx`
 * and `<prefix><name>.json`, written by `deno task publish-model`.
 *
 * `list()` is one ListObjectsV2 call (per 1000 keys): a model's version is
 * the ETag of its metadata JSON, which changes whenever the model does (the
 * JSON carries the ONNX hash), so nothing is downloaded to see a change.
 * `load()` reads the JSON, then the exact ONNX object version the JSON names,
 * so a publish in progress never pairs new metadata with an old model, and
 * checks the ONNX hash.
 */
export function createS3ModelRegistry(options: S3ModelRegistryOptions): ModelRegistry {
  const { client, bucket } = options;
  const prefix = options.prefix ?? "";
  if (prefix !== "" && !prefix.endsWith("/")) {
    throw new RangeError(
      `Cannot use S3 models: 'prefix' must be empty or end with '/', got '${prefix}'`,
    );
  }
  const where = (key: string) => `s3://${bucket}/${key}`;

  return {
    async list(): Promise<ModelRef[]> {
      const json = new Map<string, string>();
      const onnx = new Set<string>();
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const rest = object.Key!.slice(prefix.length);
          if (rest.includes("/")) continue;
          if (rest.endsWith(".json") && object.ETag) {
            json.set(rest.slice(0, -5), unquote(object.ETag));
          }
          if (rest.endsWith(".onnx")) onnx.add(rest.slice(0, -5));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return [...json].filter(([name]) => onnx.has(name))
        .map(([name, version]) => ({ name, version }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async load(name: string): Promise<ModelFiles> {
      const jsonKey = `${prefix}${name}.json`;
      const onnxKey = `${prefix}${name}.onnx`;
      const meta = await client.send(new GetObjectCommand({ Bucket: bucket, Key: jsonKey }));
      const text = await meta.Body!.transformToString();
      let metadata: ModelMetadata;
      try {
        const parsed = ModelMetadataSchema.safeParse(JSON.parse(text));
        if (!parsed.success) {
          const first = parsed.error.issues[0]!;
          throw new Error(`${first.path.join(".")} ${first.message}`);
        }
        metadata = parsed.data;
      } catch (error) {
        throw new Error(`Invalid model metadata ${where(jsonKey)}: ${(error as Error).message}`);
      }
      const versionId = meta.Metadata?.[ONNX_VERSION_KEY];
      const object = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: onnxKey,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      const onnx = await object.Body!.transformToByteArray();
      const hash = await sha256Hex(onnx);
      if (hash !== metadata.onnx_sha256) {
        throw new Error(
          `Model ${name} in ${
            where(onnxKey)
          }: the ONNX object hashes to ${hash}, its metadata says ${metadata.onnx_sha256}`,
        );
      }
      return { ref: { name, version: unquote(meta.ETag ?? hash) }, onnx, metadata };
    },
  };
}

const unquote = (etag: string) => etag.replace(/^"|"$/g, "");
