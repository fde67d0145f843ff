import assert from "node:assert/strict";
import type {
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
  BatchWriteItemCommandInput,
  BatchWriteItemCommandOutput,
  DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { aPcReading } from "../../../testing/a_reading.ts";
import { aScored } from "../../../testing/a_prediction.ts";
import { dynalitePeer, startDynalite } from "../../../testing/dynalite/start_dynalite.ts";
import { aDynamoDbStore, testDynamoDbClient } from "../../../testing/dynamodb_test_table.ts";
import { backoffMs, RETRY_DEFAULTS } from "./batch_requests.ts";

const dynalite = await dynalitePeer();

/**
 * Makes the client act like a throttled table: each BatchWriteItem and
 * BatchGetItem reaches the server with at most `process` of its items, and
 * the rest come back as UnprocessedItems / UnprocessedKeys, as DynamoDB does.
 */
function throttle(
  client: DynamoDBClient,
  process: number,
  commands = ["BatchWriteItemCommand", "BatchGetItemCommand"],
): { requests: number } {
  const seen = { requests: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const table = (name: Record<string, unknown>) => Object.keys(name)[0]!;
      if (!commands.includes(context.commandName!)) return next(args);
      if (context.commandName === "BatchWriteItemCommand") {
        seen.requests++;
        const input = args.input as BatchWriteItemCommandInput;
        const name = table(input.RequestItems!);
        const all = input.RequestItems![name]!;
        if (process === 0) {
          return { output: { UnprocessedItems: { [name]: all }, $metadata: {} }, response: {} };
        }
        args.input = { ...input, RequestItems: { [name]: all.slice(0, process) } };
        const result = await next(args);
        const output = result.output as BatchWriteItemCommandOutput;
        const left = all.slice(process);
        if (left.length > 0) output.UnprocessedItems = { [name]: left };
        return result;
      }
      if (context.commandName === "BatchGetItemCommand") {
        seen.requests++;
        const input = args.input as BatchGetItemCommandInput;
        const name = table(input.RequestItems!);
        const request = input.RequestItems![name]!;
        const all = request.Keys!;
        if (process === 0) {
          const output = { Responses: {}, UnprocessedKeys: { [name]: request }, $metadata: {} };
          return { output, response: {} };
        }
        args.input = {
          ...input,
          RequestItems: { [name]: { ...request, Keys: all.slice(0, process) } },
        };
        const result = await next(args);
        const output = result.output as BatchGetItemCommandOutput;
        const left = all.slice(process);
        if (left.length > 0) output.UnprocessedKeys = { [name]: { ...request, Keys: left } };
        return result;
      }
      return next(args);
    },
    { step: "initialize", name: "throttleForTest" },
  );
  return seen;
}

function readings(count: number) {
  return Array.from({ length: count }, (_, i) =>
    aScored(aPcReading({
      device: `dev${i % 7}`,
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    })));
}

Deno.test("backoffMs() doubles its ceiling each retry, up to the cap, with full jitter", () => {
  const retry = { attempts: 10, baseDelayMs: 50, maxDelayMs: 1000 };
  assert.equal(backoffMs(1, retry, () => 0.999), 49.95);
  assert.equal(backoffMs(3, retry, () => 0.5), 100);
  assert.equal(backoffMs(8, retry, () => 0.5), 500);
  assert.equal(backoffMs(4, retry, () => 0), 0);
  assert.deepEqual(RETRY_DEFAULTS, { attempts: 10, baseDelayMs: 50, maxDelayMs: 5000 });
});

Deno.test({
  name:
    "DynamoDB batches: unprocessed items and keys are sent again after a backoff until all are in",
  ignore: dynalite.ignore,
  fn: async () => {
    await using server = await startDynalite();
    const client = testDynamoDbClient(server.endpoint);
    const waits: number[] = [];
    const store = await aDynamoDbStore(server.endpoint, {
      client,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      retry: { attempts: 30, baseDelayMs: 10, maxDelayMs: 40 },
    });
    try {
      const seen = throttle(client, 4);
      const items = readings(60);
      const saved = await store.saveScored(items);
      assert.equal(saved.stored, 60);
      // 60 readings: 3 batches of 25, 25 and 10 items, 4 items per request.
      // Then 7 summaries in one batch: 2 requests. Reads: 7 devices (14 keys): 4 requests.
      assert.equal(seen.requests, 7 + 7 + 3 + 2 + 4);
      // One wait before each retry (every request but the first of 5 batches): half the
      // ceiling (random 0.5), which doubles from 10 ms up to the 40 ms cap.
      assert.equal(waits.length, seen.requests - 5);
      assert.deepEqual([...new Set(waits)].sort((a, b) => a - b), [5, 10, 20]);
      const again = await store.saveScored(items);
      assert.deepEqual([again.stored, again.duplicates], [0, 60]);
      assert.equal((await store.getDevice("dev3"))?.readings, 9);
      const states = new Map(Array.from({ length: 9 }, (_, i) => [`s${i}`, { i }]));
      await store.saveAlertStates(states);
      assert.deepEqual(await store.getAlertStates([...states.keys()]), states);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "DynamoDB batches: once retries are spent, the save fails saying how many items were left",
  ignore: dynalite.ignore,
  fn: async () => {
    await using server = await startDynalite();
    const client = testDynamoDbClient(server.endpoint);
    const waits: number[] = [];
    const store = await aDynamoDbStore(server.endpoint, {
      client,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      retry: { attempts: 3 },
    });
    try {
      const items = readings(10);
      throttle(client, 0);
      await assert.rejects(
        store.saveScored(items),
        /Cannot read from DynamoDB table 'test-[^']+': 14 of 14 keys still unprocessed after 3 attempts/,
      );
      assert.equal(waits.length, 2);
      client.middlewareStack.remove("throttleForTest");
      // Reads pass, every write is left unprocessed.
      throttle(client, 0, ["BatchWriteItemCommand"]);
      await assert.rejects(
        store.saveScored(items),
        /Cannot write to DynamoDB table 'test-[^']+': 10 of 10 items still unprocessed after 3 attempts/,
      );
      assert.equal(waits.length, 4);
    } finally {
      await store.close();
    }
  },
});
