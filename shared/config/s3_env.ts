import { z } from "zod";
import { AwsEnv } from "./aws_env.ts";
import { composeEnv } from "./parse_env.ts";

/** S3's rule for bucket names (the common part: lower case, digits, '.', '-'; 3-63). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Config piece: where published models live in S3, with the AWS piece.
 * Checked when the configuration is parsed, so a bad bucket name or endpoint
 * stops a command before it starts. `MODELS_BUCKET` is optional here: the
 * consumer scores with a folder without it; `publish-model` requires it
 * (`requireBucket`).
 *
 * `S3_ENDPOINT` points at an S3-compatible server (MinIO, moto); path-style
 * addressing and checksums "when required" are then used (`s3ClientConfig()`).
 */
export const S3Env = composeEnv(
  z.object({
    MODELS_BUCKET: z.string()
      .regex(BUCKET, { error: "must be a valid S3 bucket name (3-63 of a-z 0-9 . -)" })
      .optional(),
    MODELS_PREFIX: z.string()
      .regex(/^$|\/$/, { error: "must be empty or end with '/'" })
      .default("models/"),
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be a URL like http://127.0.0.1:5000" })
      .optional(),
  }),
  AwsEnv,
);

export type S3Env = z.output<typeof S3Env>;

/** A check for commands that cannot work without the bucket (`publish-model`). */
export function requireBucket(env: { MODELS_BUCKET?: string }, ctx: z.RefinementCtx): void {
  if (env.MODELS_BUCKET !== undefined) return;
  ctx.addIssue({
    code: "custom",
    path: ["MODELS_BUCKET"],
    message: "is required: the S3 bucket of published models",
  });
}
