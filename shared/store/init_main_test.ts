import assert from "node:assert/strict";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { dynalitePeer, startDynalite } from "../../testing/dynalite/start_dynalite.ts";
import { testDynamoDbClient } from "../../testing/dynamodb_test_table.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { initStore } from "./init_main.ts";
import { STORE_TABLE } from "./dynamodb/table_definition.ts";

const dynalite = await dynalitePeer();
const moto = await motoPeer();
const noWait = () => Promise.resolve();

async function run(env: Record<string, string>) {
  const lines: string[] = [];
  const code = await initStore(
    { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", ...env },
    { out: (line) => lines.push(line), sleep: noWait },
  );
  return { code, lines };
}

Deno.test({
  name:
    "store:init creates the table on dynalite, says TTL is not supported, and a second run finds it",
  ignore: dynalite.ignore,
  fn: async () => {
    await using server = await startDynalite();
    const env = { DYNAMODB_ENDPOINT: server.endpoint, DYNAMODB_TABLE: "stresswatch" };
    const first = await run(env);
    assert.equal(first.code, 0, first.lines.join("\n"));
    assert.deepEqual(first.lines, [
      `store:init: table 'stresswatch' on ${server.endpoint}`,
      "  created table 'stresswatch' (3 indexes, on demand)",
      "  TTL on 'expires_at': not supported by this endpoint (readings will not expire)",
      "store:init: done; STORE=dynamodb DYNAMODB_TABLE=stresswatch selects it",
    ]);
    const client = testDynamoDbClient(server.endpoint);
    const table = (await client.send(new DescribeTableCommand({ TableName: "stresswatch" })))
      .Table!;
    assert.deepEqual(
      table.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort(),
      STORE_TABLE.indexes.map((index) => index.name).sort(),
    );
    const second = await run(env);
    assert.equal(second.code, 0);
    assert.equal(
      second.lines[1],
      "  table 'stresswatch' exists and matches the store's keys and indexes",
    );
    assert.match(second.lines.at(-1)!, /nothing to do/);

    await client.send(
      new CreateTableCommand({
        TableName: "other",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    const other = await run({ ...env, DYNAMODB_TABLE: "other" });
    assert.equal(other.code, 1);
    assert.match(
      other.lines.at(-1)!,
      /^store:init: Table 'other' exists but is not the store's table: key is id\+, not pk\+sk; index 'by_list' is missing;/,
    );
    client.destroy();
  },
});

Deno.test({
  name: "store:init enables TTL on moto_server, and a second run finds it enabled",
  ignore: moto.ignore,
  fn: async () => {
    await using server = await startMoto();
    const env = { DYNAMODB_ENDPOINT: server.endpoint, DYNAMODB_TABLE: "stresswatch" };
    const first = await run(env);
    assert.equal(first.code, 0, first.lines.join("\n"));
    assert.equal(first.lines[2], "  TTL on 'expires_at': enabled");
    const second = await run(env);
    assert.equal(second.lines[2], "  TTL on 'expires_at': already enabled");
  },
});

Deno.test("store:init says in one line that an endpoint cannot be reached", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const endpoint = `http://127.0.0.1:${port}`;
  const { code, lines } = await run({ DYNAMODB_ENDPOINT: endpoint, DYNAMODB_TABLE: "t1x" });
  assert.equal(code, 1);
  assert.match(lines.at(-1)!, new RegExp(`^store:init: Cannot reach DynamoDB at ${endpoint}: `));
  assert.equal(lines.at(-1)!.includes("\n"), false);
});

Deno.test("store:init names a missing or bad variable and exits 2", async () => {
  const lines: string[] = [];
  const code = await initStore({ DYNAMODB_ENDPOINT: "nope", AWS_ACCESS_KEY_ID: "a" }, {
    out: (line) => lines.push(line),
  });
  assert.equal(code, 2);
  const text = lines.join("\n");
  assert.match(text, /DYNAMODB_TABLE is not set: is required: the table to create/);
  assert.match(text, /DYNAMODB_ENDPOINT is 'nope': must be a URL/);
  lines.length = 0;
  const half = await initStore({ DYNAMODB_TABLE: "t1x", AWS_ACCESS_KEY_ID: "a" }, {
    out: (line) => lines.push(line),
  });
  assert.equal(half, 2);
  assert.match(
    lines.join("\n"),
    /AWS_SECRET_ACCESS_KEY is not set: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/,
  );
});
