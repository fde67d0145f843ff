import assert from "node:assert/strict";
import { describeDynamoDbError, tableDifferences } from "./ensure_table.ts";
import { createTableInput } from "./table_definition.ts";

Deno.test("describeDynamoDbError() tells refused credentials from other errors, in one line", () => {
  // What the SDK throws when AWS does not know the access key.
  const refused = Object.assign(
    new Error("The security token included in the request is invalid.\nmore"),
    { name: "UnrecognizedClientException" },
  );
  assert.equal(
    describeDynamoDbError(refused, "AWS eu-west-1"),
    "DynamoDB at AWS eu-west-1 refused the credentials (UnrecognizedClientException): The " +
      "security token included in the request is invalid. Check AWS_ACCESS_KEY_ID / " +
      "AWS_SECRET_ACCESS_KEY (or the AWS profile) and AWS_REGION",
  );
  const other = Object.assign(new Error("Throughput exceeds the limit"), {
    name: "LimitExceededException",
  });
  assert.equal(
    describeDynamoDbError(other, "x"),
    "DynamoDB at x answered LimitExceededException: Throughput exceeds the limit",
  );
});

Deno.test("tableDifferences() is empty for the store's own table and names each difference", () => {
  const input = createTableInput("t");
  const described = {
    KeySchema: input.KeySchema,
    GlobalSecondaryIndexes: input.GlobalSecondaryIndexes,
  };
  assert.deepEqual(tableDifferences(described), []);
  const [byList, byDevice] = input.GlobalSecondaryIndexes!;
  assert.deepEqual(
    tableDifferences({
      KeySchema: input.KeySchema,
      GlobalSecondaryIndexes: [
        { ...byList, Projection: { ProjectionType: "ALL" } },
        { ...byDevice, Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["x"] } },
      ],
    }),
    [
      "index 'by_list' projects ALL, not INCLUDE",
      "index 'by_device' includes [x], not [doc]",
      "index 'pending' is missing",
    ],
  );
});
