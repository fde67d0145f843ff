import type { z } from "zod";
import { SERVE_COMMAND } from "../api/main.ts";
import { SET_WEBHOOK_COMMAND } from "../bot/set_webhook_main.ts";
import { CONSUMER_COMMAND } from "../consumer/main.ts";
import { EVALUATE_COMMAND } from "../models/evaluate/main.ts";
import { PUBLISH_COMMAND } from "../models/publish/main.ts";
import { SIMULATE_COMMAND } from "../models/simulate/main.ts";
import { TRAIN_COMMAND } from "../models/train/main.ts";
import { PRODUCER_COMMAND } from "../producer/producer_config.ts";
import { KafkaEnv } from "../shared/config/kafka_env.ts";
import { StoreInitEnvSchema } from "../shared/store/init_main.ts";
import { START_COMMAND } from "../start/main.ts";

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
  "start/main.ts": [START_COMMAND.env],
  "api/main.ts": [SERVE_COMMAND.env],
  "consumer/main.ts": [CONSUMER_COMMAND.env],
  // The agent's settings, and Kafka's when it sends.
  "producer/main.ts": [PRODUCER_COMMAND.env, KafkaEnv],
  "models/publish/main.ts": [PUBLISH_COMMAND.env],
  "models/train/main.ts": [TRAIN_COMMAND.env],
  "models/evaluate/main.ts": [EVALUATE_COMMAND.env],
  "models/simulate/main.ts": [SIMULATE_COMMAND.env],
  "shared/store/init_main.ts": [StoreInitEnvSchema],
  "bot/set_webhook_main.ts": [SET_WEBHOOK_COMMAND.env],
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
