import type { S3Env } from "../config/s3_env.ts";

/** Network failures that mean the S3 endpoint was not reached at all. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const REFUSED_CREDENTIALS = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "ExpiredToken",
  "CredentialsProviderError",
]);

/**
 * An S3 failure in one line naming the variable to check (`MODELS_BUCKET`,
 * `S3_ENDPOINT`, `AWS_ACCESS_KEY_ID`), instead of the SDK's stack trace; null
 * for a failure that is not about where S3 is or what it allows.
 */
export function describeS3Error(
  error: unknown,
  env: Pick<S3Env, "MODELS_BUCKET" | "S3_ENDPOINT" | "AWS_REGION">,
): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  const where = env.S3_ENDPOINT
    ? `S3_ENDPOINT ${env.S3_ENDPOINT}`
    : `AWS S3 in AWS_REGION ${env.AWS_REGION}`;
  if (typeof code === "string" && UNREACHABLE.has(code)) {
    return `cannot reach ${where}: ${error.message} (is the server running, and the address right?)`;
  }
  if (error.name === "NoSuchBucket") {
    return `MODELS_BUCKET '${env.MODELS_BUCKET}' does not exist at ${where}: create it, or check MODELS_BUCKET (--bucket)`;
  }
  if (REFUSED_CREDENTIALS.has(error.name)) {
    return `${where} refuses the credentials for MODELS_BUCKET '${env.MODELS_BUCKET}' (${error.name}: ${error.message}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined) {
    return `${where} answered ${status} ${error.name}: ${error.message}`;
  }
  return null;
}
