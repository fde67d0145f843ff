import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { createTableInput, STORE_TABLE } from "./table_definition.ts";

export interface EnsureTableOptions {
  client: DynamoDBClient;
  table: string;
  /** One line per step, for the person running `store:init`. */
  log?: (line: string) => void;
  /** Waits while the table is being created. */
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for a new table to become ACTIVE, ms. Default 120,000. */
  timeoutMs?: number;
}

export interface EnsureTableResult {
  created: boolean;
  /** enabled now, already enabled, or not supported by the endpoint (dynalite). */
  ttl: "enabled" | "already enabled" | "not supported";
}

/**
 * Makes sure the store's table exists as `STORE_TABLE` describes it:
 * creates it (and waits until it is ACTIVE) when missing, or checks that the
 * existing one has the same keys and indexes, then enables TTL on
 * `expires_at` where the endpoint supports it. Safe to run again.
 */
export async function ensureTable(options: EnsureTableOptions): Promise<EnsureTableResult> {
  const { client, table } = options;
  const log = options.log ?? (() => {});
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let description = await describe(client, table);
  let created = false;
  if (description === null) {
    await client.send(new CreateTableCommand(createTableInput(table)));
    created = true;
    log(`created table '${table}' (${STORE_TABLE.indexes.length} indexes, on demand)`);
  } else {
    const problems = tableDifferences(description);
    if (problems.length > 0) {
      throw new Error(
        `Table '${table}' exists but is not the store's table: ${problems.join("; ")}. ` +
          `Use another DYNAMODB_TABLE, or delete this one and run store:init again`,
      );
    }
    log(`table '${table}' exists and matches the store's keys and indexes`);
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  for (let waited = 0; description?.TableStatus !== "ACTIVE"; waited += 500) {
    if (waited >= timeoutMs) {
      throw new Error(`Table '${table}' is not ACTIVE after ${timeoutMs / 1000} s`);
    }
    if (waited > 0 || created) await sleep(500);
    description = await describe(client, table);
  }
  const ttl = await ensureTtl(client, table);
  log(
    ttl === "not supported"
      ? `TTL on '${STORE_TABLE.ttlAttribute}': not supported by this endpoint (readings will not expire)`
      : `TTL on '${STORE_TABLE.ttlAttribute}': ${ttl}`,
  );
  return { created, ttl };
}

async function describe(client: DynamoDBClient, table: string): Promise<TableDescription | null> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

async function ensureTtl(client: DynamoDBClient, table: string): Promise<EnsureTableResult["ttl"]> {
  try {
    const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: table })))
      .TimeToLiveDescription;
    if (
      current?.AttributeName === STORE_TABLE.ttlAttribute &&
      (current.TimeToLiveStatus === "ENABLED" || current.TimeToLiveStatus === "ENABLING")
    ) {
      return "already enabled";
    }
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: table,
        TimeToLiveSpecification: { AttributeName: STORE_TABLE.ttlAttribute, Enabled: true },
      }),
    );
    return "enabled";
  } catch (error) {
    if (isUnsupported(error)) return "not supported";
    throw error;
  }
}

/** dynalite answers operations it lacks with UnknownOperationException. */
function isUnsupported(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? "";
  return name === "UnknownOperationException" || /UnknownOperation|not supported/i.test(
    (error as Error)?.message ?? "",
  );
}

/** How an existing table differs from `STORE_TABLE`; empty when it matches. */
export function tableDifferences(description: TableDescription): string[] {
  const problems: string[] = [];
  const keyOf = (schema: TableDescription["KeySchema"]) =>
    [
      schema?.find((k) => k.KeyType === "HASH")?.AttributeName,
      schema?.find((k) => k.KeyType === "RANGE")?.AttributeName,
    ].join("+");
  const wantKey = `${STORE_TABLE.partitionKey}+${STORE_TABLE.sortKey}`;
  if (keyOf(description.KeySchema) !== wantKey) {
    problems.push(`key is ${keyOf(description.KeySchema)}, not ${wantKey}`);
  }
  for (const index of STORE_TABLE.indexes) {
    const found = description.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.name);
    if (!found) {
      problems.push(`index '${index.name}' is missing`);
      continue;
    }
    const want = `${index.partitionKey}+${index.sortKey}`;
    if (keyOf(found.KeySchema) !== want) {
      problems.push(`index '${index.name}' has key ${keyOf(found.KeySchema)}, not ${want}`);
    }
    const projection = found.Projection?.ProjectionType;
    if (projection !== index.projection) {
      problems.push(`index '${index.name}' projects ${projection}, not ${index.projection}`);
    } else if (index.projection === "INCLUDE") {
      const have = [...(found.Projection?.NonKeyAttributes ?? [])].sort().join(",");
      const wanted = [...index.nonKeyAttributes].sort().join(",");
      if (have !== wanted) {
        problems.push(`index '${index.name}' includes [${have}], not [${wanted}]`);
      }
    }
  }
  return problems;
}

/**
 * One line for a DynamoDB error a person can act on: an endpoint that cannot
 * be reached, credentials refused, or the service's own message.
 */
export function describeDynamoDbError(error: unknown, where: string): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e?.name ?? "";
  const message = (e?.message ?? String(error)).split("\n")[0];
  const code = e?.code ?? e?.cause?.code ?? "";
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(`${code} ${message}`) ||
    name === "TimeoutError" || /connection refused|dns error|failed to lookup/i.test(message)
  ) {
    return `Cannot reach DynamoDB at ${where}: ${message}`;
  }
  if (
    [
      "UnrecognizedClientException",
      "InvalidSignatureException",
      "ExpiredTokenException",
      "AccessDeniedException",
      "CredentialsProviderError",
      "InvalidClientTokenId",
    ].includes(name)
  ) {
    return `DynamoDB at ${where} refused the credentials (${name}): ${
      message.replace(/\.$/, "")
    }. ` +
      `Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the AWS profile) and AWS_REGION`;
  }
  return `DynamoDB at ${where} answered ${name || "an error"}: ${message}`;
}
