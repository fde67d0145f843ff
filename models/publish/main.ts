import { S3Client } from "@aws-sdk/client-s3";
import { ModelsEnv } from "../../shared/config/models_env.ts";
import { composeEnv, processEnv } from "../../shared/config/parse_env.ts";
import { defineCommand, parseCommandLine } from "../../shared/config/parse_flags.ts";
import { requireBucket, S3Env } from "../../shared/config/s3_env.ts";
import { CommandError } from "../../shared/entry_point/command_error.ts";
import { runCommand } from "../../shared/entry_point/run_command.ts";
import { s3ClientConfig } from "../../shared/models/s3_config.ts";
import { describeS3Error } from "../../shared/models/s3_errors.ts";
import { publishModel, PublishRefusedError } from "../../shared/models/publish_model.ts";

export const PUBLISH_COMMAND = defineCommand({
  name: "deno task publish-model",
  about: `Uploads <dir>/<name>.onnx and <name>.json to S3 with versions (every model in
--dir when no --name). S3_ENDPOINT points at an S3-compatible server;
credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the AWS
SDK's default chain.`,
  flags: {
    dir: { type: "string", value: "dir", env: "MODELS_DIR", help: "the trained models" },
    name: {
      type: "string",
      value: "name",
      multiple: true,
      default: [],
      help: "publish only this model (repeat for more)",
    },
    bucket: { type: "string", value: "bucket", env: "MODELS_BUCKET", help: "the S3 bucket" },
    prefix: { type: "string", value: "prefix", env: "MODELS_PREFIX", help: "key prefix in it" },
    "enable-versioning": {
      type: "boolean",
      default: false,
      help: "turn on the bucket's versioning if it is off",
    },
  },
  env: composeEnv(ModelsEnv.pick({ MODELS_DIR: true }), S3Env).superRefine(requireBucket),
});

/** `deno task publish-model`: publishes trained models to S3 with versions. */
export async function main(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const line = parseCommandLine(PUBLISH_COMMAND, args, env);
  if (typeof line === "number") return line;
  const { flags, config } = line;
  const dir = config.MODELS_DIR;
  const bucket = config.MODELS_BUCKET!; // required by the schema
  let names = flags.name;
  if (names.length === 0) {
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name.endsWith(".onnx")) names.push(entry.name.slice(0, -5));
      }
    } catch (error) {
      console.error(
        `Cannot read the models folder ${dir} (--dir, MODELS_DIR): ${(error as Error).message}`,
      );
      return 2;
    }
    names = names.sort();
    if (names.length === 0) {
      console.error(`No models (*.onnx) in ${dir}`);
      return 1;
    }
  }
  const client = new S3Client(s3ClientConfig(config));
  const target = { client, bucket, prefix: config.MODELS_PREFIX };
  let failed = 0;
  try {
    for (const name of names) {
      try {
        const result = await publishModel(target, {
          dir,
          name,
          enableVersioning: flags["enable-versioning"],
        });
        console.error(
          `${result.status} ${name} sha256=${
            result.sha256.slice(0, 12)
          } s3://${target.bucket}/${target.prefix}${name}.onnx version=${
            result.onnxVersionId ?? "?"
          }`,
        );
      } catch (error) {
        if (error instanceof PublishRefusedError) {
          console.error(error.message);
          failed++;
          continue;
        }
        // Where S3 is or what it allows is wrong for every model alike: stop at the first.
        const said = describeS3Error(error, config);
        if (said) throw new CommandError(`cannot publish ${name}: ${said}`);
        throw error;
      }
    }
  } finally {
    client.destroy();
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) await runCommand(() => main(Deno.args, processEnv()));
