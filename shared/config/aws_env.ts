import { z } from "zod";
import { bothOrNeither } from "./parse_env.ts";

/**
 * Config piece: the AWS region and credentials every AWS client (S3,
 * DynamoDB) uses. Without `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`
 * the AWS SDK's default chain (instance role, profile) is used.
 */
export const AwsEnv = z.object({
  AWS_REGION: z.string().default("us-east-1"),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
}).superRefine(bothOrNeither("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));

export type AwsEnv = z.output<typeof AwsEnv>;
