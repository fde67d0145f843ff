import type { S3ClientConfig } from "@aws-sdk/client-s3";
import type { S3Env } from "../config/s3_env.ts";

/**
 * AWS SDK v3 S3 client options for the S3 config piece (`S3Env`):
 * credentials when given, else the SDK's default chain; for an
 * `S3_ENDPOINT` (MinIO, moto) path-style addressing and checksums "when
 * required", which such servers expect.
 */
export function s3ClientConfig(
  env: Pick<S3Env, "AWS_REGION" | "S3_ENDPOINT" | "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY">,
): S3ClientConfig {
  return {
    region: env.AWS_REGION,
    ...(env.S3_ENDPOINT
      ? {
        endpoint: env.S3_ENDPOINT,
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }
      : {}),
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        },
      }
      : {}),
  };
}
