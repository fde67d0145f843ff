import assert from "node:assert/strict";
import { logLevel } from "kafkajs";
import { kafkaLogCreator } from "./kafka_log.ts";
import { createMemoryLogger } from "../../../testing/memory_logger.ts";

Deno.test("kafkaLogCreator() writes kafkajs lines through our logger, errors as warnings", () => {
  const log = createMemoryLogger();
  const write = kafkaLogCreator(log)(logLevel.INFO);
  write({
    namespace: "Runner",
    level: logLevel.ERROR,
    label: "ERROR",
    log: {
      timestamp: "t",
      message: "The group is rebalancing",
      groupId: "g",
      retryCount: 2,
      stack: "long",
      nested: { no: 1 },
    },
  });
  write({
    namespace: "",
    level: logLevel.DEBUG,
    label: "DEBUG",
    log: { timestamp: "t", message: "m" },
  });
  assert.equal(log.lines.length, 2);
  assert.match(log.lines[0]!, / warn {2}Runner: The group is rebalancing groupId=g retryCount=2$/);
  assert.match(log.lines[1]!, / debug m$/);
});
