import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { z } from "zod";

/**
 * Where published models live in S3, from the environment. Shared by
 * `deno task publish-model` and the consumer.
 *
 * Credentials: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` when given,
 * else the AWS SDK's default chain (instance role, profile). `S3_ENDPOINT`
 * points at an S3-compatible server (MinIO, moto); path-style addressing
 * and checksums "when required" are then used, which such servers expect.
 */
export const S3ModelsEnvSchema = z.object({
  MODELS_BUCKET: z.string({ error: "is required: the S3 bucket of published models" })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be a valid S3 bucket name" }),
  MODELS_PREFIX: z.string().default("models/"),
  AWS_REGION: z.string().default("us-east-1"),
  S3_ENDPOINT: z.url({ error: "must be a URL like http://127.0.0.1:5000" }).optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
}).superRefine((env, ctx) => {
  if ((env.AWS_ACCESS_KEY_ID === undefined) !== (env.AWS_SECRET_ACCESS_KEY === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [env.AWS_ACCESS_KEY_ID === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"],
      message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together",
    });
  }
});

export type S3ModelsEnv = z.output<typeof S3ModelsEnvSchema>;

/** AWS SDK v3 S3 client options for the environment. */
export function s3ClientConfig(env: S3ModelsEnv): S3ClientConfig {
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
