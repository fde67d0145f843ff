import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { type ModelMetadata, ModelMetadataSchema } from "./model_metadata.ts";
import { sha256Hex } from "./model_registry.ts";
import { ONNX_VERSION_KEY } from "./s3_model_registry.ts";

export interface PublishTarget {
  client: S3Client;
  bucket: string;
  /** Key prefix, empty or ending with '/'. */
  prefix: string;
}

export interface PublishResult {
  name: string;
  status: "published" | "unchanged";
  sha256: string;
  /** S3 version ids of the two objects (the ones already there when unchanged). */
  onnxVersionId?: string;
  jsonVersionId?: string;
}

/** Thrown when publishing would break the registry; the message says why and what to do. */
export class PublishRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PublishRefusedError";
  }
}

/**
 * Publishes `<dir>/<name>.onnx` and its metadata to S3:
 *
 * - refuses when the local ONNX does not hash to what its metadata claims;
 * - refuses a bucket without versioning (unless `enableVersioning`), so no
 *   published version is ever lost;
 * - does nothing when the same model (same hash) is already published;
 * - else uploads the ONNX, then the JSON naming that ONNX object's version,
 *   so a consumer never pairs new metadata with an old model.
 */
export async function publishModel(
  target: PublishTarget,
  source: { dir: string; name: string; enableVersioning?: boolean },
): Promise<PublishResult> {
  const { client, bucket, prefix } = target;
  const { dir, name } = source;
  if (prefix !== "" && !prefix.endsWith("/")) {
    throw new RangeError(`Cannot publish: 'prefix' must be empty or end with '/', got '${prefix}'`);
  }
  const metadata = await readLocalMetadata(`${dir}/${name}.json`);
  const onnx = await Deno.readFile(`${dir}/${name}.onnx`);
  const hash = await sha256Hex(onnx);
  if (hash !== metadata.onnx_sha256) {
    throw new PublishRefusedError(
      `Cannot publish ${name}: ${dir}/${name}.onnx hashes to ${hash}, but ${name}.json claims ${metadata.onnx_sha256}; retrain or restore the matching pair`,
    );
  }
  if (metadata.name !== name) {
    throw new PublishRefusedError(
      `Cannot publish ${name}: its metadata names it '${metadata.name}'`,
    );
  }
  await checkVersioning(client, bucket, source.enableVersioning ?? false);

  const jsonKey = `${prefix}${name}.json`;
  const onnxKey = `${prefix}${name}.onnx`;
  const current = await remoteMetadata(client, bucket, jsonKey);
  if (current?.metadata.onnx_sha256 === hash) {
    return {
      name,
      status: "unchanged",
      sha256: hash,
      onnxVersionId: current.onnxVersionId,
      jsonVersionId: current.versionId,
    };
  }
  const putOnnx = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: onnxKey,
      Body: onnx,
      ContentType: "application/octet-stream",
      Metadata: { sha256: hash },
    }),
  );
  if (!putOnnx.VersionId) {
    throw new Error(`S3 gave no version id for ${onnxKey}: is versioning on for ${bucket}?`);
  }
  const putJson = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: jsonKey,
      Body: JSON.stringify(metadata, null, 2) + "\n",
      ContentType: "application/json",
      Metadata: { [ONNX_VERSION_KEY]: putOnnx.VersionId, sha256: hash },
    }),
  );
  return {
    name,
    status: "published",
    sha256: hash,
    onnxVersionId: putOnnx.VersionId,
    jsonVersionId: putJson.VersionId,
  };
}

async function readLocalMetadata(path: string): Promise<ModelMetadata> {
  let json: unknown;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new PublishRefusedError(
      `Cannot publish: cannot read ${path}: ${(error as Error).message}`,
    );
  }
  const parsed = ModelMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new PublishRefusedError(
      `Cannot publish: ${path}: ${first.path.join(".")} ${first.message}`,
    );
  }
  return parsed.data;
}

async function checkVersioning(client: S3Client, bucket: string, enable: boolean): Promise<void> {
  const { Status } = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  if (Status === "Enabled") return;
  if (!enable) {
    throw new PublishRefusedError(
      `Cannot publish: bucket ${bucket} has versioning ${
        Status ?? "off"
      }; turn it on (publish-model --enable-versioning, or aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled)`,
    );
  }
  await client.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: "Enabled" },
    }),
  );
}

/** The published metadata under `key`, or null when there is none. */
async function remoteMetadata(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ metadata: ModelMetadata; versionId?: string; onnxVersionId?: string } | null> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if ((error as { name?: string }).name === "NotFound") return null;
    throw error;
  }
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const parsed = ModelMetadataSchema.safeParse(JSON.parse(await object.Body!.transformToString()));
  if (!parsed.success) return null; // broken metadata is replaced by the upload
  return {
    metadata: parsed.data,
    versionId: object.VersionId,
    onnxVersionId: object.Metadata?.[ONNX_VERSION_KEY],
  };
}
