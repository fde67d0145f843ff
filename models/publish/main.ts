import { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import {
  ConfigError,
  parseEnv,
  parseEnvOrReport,
  processEnv,
} from "../../shared/config/parse_env.ts";
import { parseFlags } from "../../shared/config/parse_flags.ts";
import { s3ClientConfig, S3ModelsEnvSchema } from "../../shared/models/s3_config.ts";
import { publishModel, PublishRefusedError } from "../../shared/models/publish_model.ts";

const USAGE =
  `Usage: deno task publish-model [--dir models/trained] [--name pc ...] [--bucket B] [--prefix models/]
  [--enable-versioning]

Uploads <dir>/<name>.onnx and <name>.json to S3 (all models in --dir when no
--name). Bucket and prefix come from the flags or MODELS_BUCKET / MODELS_PREFIX;
S3_ENDPOINT points at an S3-compatible server; credentials come from
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the AWS SDK's default chain.`;

/** `deno task publish-model`: publishes trained models to S3 with versions. */
export async function main(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const dirEnv = parseEnvOrReport(
    z.object({ MODELS_DIR: z.string().default("./models/trained") }),
    env,
  );
  if (!dirEnv) return 2;
  const modelsDir = dirEnv.MODELS_DIR;
  const flags = parseFlags(args, {
    dir: { type: "string", default: modelsDir },
    name: { type: "string", multiple: true, default: [] },
    bucket: { type: "string" },
    prefix: { type: "string" },
    "enable-versioning": { type: "boolean", default: false },
    help: { type: "boolean" },
  }, USAGE);
  if (typeof flags === "number") return flags;
  let config;
  try {
    config = parseEnv(S3ModelsEnvSchema, {
      ...env,
      ...(flags.bucket ? { MODELS_BUCKET: flags.bucket } : {}),
      ...(flags.prefix !== undefined ? { MODELS_PREFIX: flags.prefix } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\n(--bucket and --prefix set MODELS_BUCKET and MODELS_PREFIX)`);
    return 2;
  }
  let names = flags.name;
  if (names.length === 0) {
    try {
      for await (const entry of Deno.readDir(flags.dir)) {
        if (entry.isFile && entry.name.endsWith(".onnx")) names.push(entry.name.slice(0, -5));
      }
    } catch (error) {
      console.error(`Cannot read --dir ${flags.dir}: ${(error as Error).message}`);
      return 2;
    }
    names = names.sort();
    if (names.length === 0) {
      console.error(`No models (*.onnx) in ${flags.dir}`);
      return 1;
    }
  }
  const client = new S3Client(s3ClientConfig(config));
  const target = { client, bucket: config.MODELS_BUCKET, prefix: config.MODELS_PREFIX };
  let failed = 0;
  try {
    for (const name of names) {
      try {
        const result = await publishModel(target, {
          dir: flags.dir,
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
        if (!(error instanceof PublishRefusedError)) throw error;
        console.error(error.message);
        failed++;
      }
    }
  } finally {
    client.destroy();
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args, processEnv()));
