/**
 * compose.yaml cannot be run here (no Docker engine): these tests read it and
 * check it against the code: each service of ours runs an entry point that
 * reads every variable the service sets, and the pieces point at each other.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { entryFileOf, readDenoJson, taskEntryFiles } from "./testing/deno_tasks.ts";
import { execForm, parseDockerfile } from "./testing/dockerfile.ts";
import { unreadVariables, variablesReadBy } from "./testing/entry_point_env.ts";

const ROOT = new URL("./", import.meta.url);

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

const compose = parse(await Deno.readTextFile(new URL("compose.yaml", ROOT))) as {
  services: Record<string, Service>;
};
const services = compose.services;
const denoJson = await readDenoJson();
const pinnedDeno = (await Deno.readTextFile(new URL(".ci/run", ROOT))).match(
  /^DENO_VERSION=(\S+)$/m,
)![1]!;

/** A service's variables, from either form of `environment`. */
function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((item) => {
      const [name, ...value] = item.split("=");
      return [name!, value.join("=")];
    }));
  }
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, String(value ?? "")]),
  );
}

/** What a service runs: a file of ours, an image not ours, or a task deno.json lacks. */
type Entry = { file: string } | { notOurs: true } | { problem: string };

/**
 * The file a service runs: its Dockerfile's CMD for a built image, the file
 * of the `deno task` it runs, or nothing for an image that is not ours.
 */
async function entryOf(name: string, service: Service): Promise<Entry> {
  if (service.build !== undefined) {
    const dockerfile = typeof service.build === "string"
      ? "Dockerfile"
      : service.build.dockerfile ?? "Dockerfile";
    const instructions = parseDockerfile(await Deno.readTextFile(new URL(dockerfile, ROOT)));
    const cmd = instructions.filter((i) => i.keyword === "CMD").at(-1);
    const file = cmd && entryFileOf(execForm(cmd.args)?.join(" ") ?? cmd.args);
    return file ? { file } : { problem: `${name}: ${dockerfile} runs no .ts file` };
  }
  const command = Array.isArray(service.command)
    ? service.command.join(" ")
    : service.command ?? "";
  const task = command.match(/^deno task (\S+)/)?.[1];
  if (task === undefined) return { notOurs: true };
  const file = taskEntryFiles(denoJson).get(task);
  return file
    ? { file }
    : { problem: `${name}: runs \`deno task ${task}\`, which deno.json does not have` };
}

Deno.test("compose.yaml: every variable a service of ours sets is read by the entry point it runs", async () => {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const entry = await entryOf(name, service);
    if ("notOurs" in entry) continue;
    if ("problem" in entry) {
      problems.push(entry.problem);
      continue;
    }
    let read;
    try {
      read = variablesReadBy(entry.file);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      continue;
    }
    for (const variable of unreadVariables(Object.keys(environment(service)), read)) {
      problems.push(`${name} (${entry.file}): ${variable}`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("compose.yaml: has Kafka in KRaft mode, DynamoDB Local, the consumer image, the service and a producer", async () => {
  const byImage = (prefix: string) =>
    Object.values(services).filter((s) => s.image?.startsWith(prefix));
  const [kafka] = byImage("apache/kafka:");
  assert.ok(kafka, "the official apache/kafka image");
  assert.match(
    environment(kafka).KAFKA_PROCESS_ROLES ?? "",
    /controller/,
    "KRaft: the broker is its own controller",
  );
  assert.ok(!Object.values(services).some((s) => /zookeeper/i.test(s.image ?? "")), "no ZooKeeper");
  assert.equal(byImage("amazon/dynamodb-local:").length, 1, "DynamoDB Local");
  const entries = await Promise.all(Object.entries(services).map(([name, s]) => entryOf(name, s)));
  const files = entries.flatMap((entry) => "file" in entry ? [entry.file] : []);
  for (const file of ["consumer/main.ts", "api/main.ts", "producer/main.ts"]) {
    assert.ok(files.includes(file), `a service runs ${file}`);
  }
  const consumer = Object.values(services).find((s) => s.build !== undefined);
  assert.deepEqual(consumer?.build, { context: ".", dockerfile: "consumer/Dockerfile" });
});

Deno.test("compose.yaml: every image is pinned to a version, Deno's to the project's", () => {
  for (const [name, service] of Object.entries(services)) {
    if (service.image === undefined || service.build !== undefined) continue;
    const [image, tag] = service.image.split(":");
    assert.ok(tag && tag !== "latest", `${name}: ${service.image} has a version`);
    if (image === "denoland/deno") {
      assert.match(tag, new RegExp(`(^|-)${pinnedDeno.replaceAll(".", "\\.")}$`));
    }
  }
});

Deno.test("compose.yaml: the pieces point at each other (brokers, table, DynamoDB endpoint)", () => {
  const kafka = Object.entries(services).find(([, s]) => s.image?.startsWith("apache/kafka:"))!;
  const advertised = environment(kafka[1]).KAFKA_ADVERTISED_LISTENERS!.replace(/^\w+:\/\//, "");
  const dynamodb =
    Object.entries(services).find(([, s]) => s.image?.startsWith("amazon/dynamodb-local:"))![0];
  const tables = new Set<string>();
  for (const [name, service] of Object.entries(services)) {
    const env = environment(service);
    if (env.KAFKA_BROKERS !== undefined) {
      assert.equal(env.KAFKA_BROKERS, advertised, `${name}: KAFKA_BROKERS`);
    }
    if (env.DYNAMODB_ENDPOINT !== undefined) {
      assert.equal(new URL(env.DYNAMODB_ENDPOINT).hostname, dynamodb, `${name}: DYNAMODB_ENDPOINT`);
    }
    if (env.DYNAMODB_TABLE !== undefined) tables.add(env.DYNAMODB_TABLE);
  }
  assert.equal(tables.size, 1, `one table for all: ${[...tables].join(", ")}`);
  const producer = environment(services.producer!);
  assert.equal(
    environment(services.consumer!).KAFKA_TOPICS,
    producer.DEVICE_NAME,
    "the consumer reads the producer's topic",
  );
});

Deno.test("compose.yaml: the consumer and the service wait for the table; readers of Kafka for a healthy broker", () => {
  const waitsFor = (service: Service, other: string, condition: string) => {
    const depends = service.depends_on;
    return !Array.isArray(depends) && depends?.[other]?.condition === condition;
  };
  for (const name of ["consumer", "service"]) {
    assert.ok(
      waitsFor(services[name]!, "store-init", "service_completed_successfully"),
      `${name} waits for store-init`,
    );
  }
  for (const name of ["consumer", "producer"]) {
    assert.ok(waitsFor(services[name]!, "kafka", "service_healthy"), `${name} waits for Kafka`);
  }
});
