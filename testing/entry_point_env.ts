import type { z } from "zod";
import { ServeConfigSchema } from "../api/serve_config.ts";
import { ConsumerConfigSchema } from "../consumer/consumer_config.ts";
import { ProducerEnvSchema } from "../producer/producer_config.ts";
import { S3ModelsEnvSchema } from "../shared/models/s3_config.ts";
import { KafkaEnvSchema } from "../shared/transport/kafka/kafka_config.ts";
import { StartConfigSchema } from "../start/start_config.ts";

/**
 * The environment each entry point reads, as the zod schemas it parses its
 * environment with, keyed by the file a `deno.json` task runs. The checks on
 * deployment files (compose.yaml, consumer/Dockerfile, infra/*.tf, the
 * workflows, the README's production guide) take the variable names from
 * here, so a variable added to a schema is known to them at once, and a name
 * in those files that no entry point reads fails them.
 *
 * `entry_point_env_test.ts` fails when a task runs a file that reads the
 * environment and is missing here.
 */
export const ENTRY_POINT_ENV: Record<string, readonly z.ZodObject[]> = {
  "start/main.ts": [StartConfigSchema],
  "api/main.ts": [ServeConfigSchema],
  "consumer/main.ts": [ConsumerConfigSchema],
  // The agent's settings, and Kafka's when it sends.
  "producer/main.ts": [ProducerEnvSchema, KafkaEnvSchema],
  // MODELS_DIR too, through a schema of its own in main.ts (also read by start and consumer).
  "models/publish/main.ts": [S3ModelsEnvSchema],
  // DATA_DIR, KV_PATH and HOT_LIMITS through a schema main.ts keeps to itself; start reads
  // the same three.
  "models/train/main.ts": [],
};

/** The variables one entry point reads; throws for a file that is not an entry point here. */
export function variablesReadBy(entry: string): Set<string> {
  const schemas = ENTRY_POINT_ENV[entry];
  if (!schemas) {
    throw new Error(
      `${entry} is not in ENTRY_POINT_ENV (testing/entry_point_env.ts): add its env schemas`,
    );
  }
  return new Set(schemas.flatMap((schema) => Object.keys(schema.shape)));
}

/** Every variable some entry point reads. */
export function variablesReadByAnyEntryPoint(): Set<string> {
  return new Set(Object.keys(ENTRY_POINT_ENV).flatMap((entry) => [...variablesReadBy(entry)]));
}

/** Names of `names` that `read` does not contain, sorted. */
export function unreadVariables(names: Iterable<string>, read: Set<string>): string[] {
  return [...new Set(names)].filter((name) => !read.has(name)).sort();
}
