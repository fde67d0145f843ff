import assert from "node:assert/strict";
import { TOPIC_NAME } from "./topic_name.ts";

Deno.test("TOPIC_NAME accepts Kafka's topic names", () => {
  for (const name of ["pc1", "readings.dlq", "a_b-C.9", ".hidden", "...", "x".repeat(249)]) {
    assert.ok(TOPIC_NAME.test(name), name);
  }
});

Deno.test("TOPIC_NAME refuses what Kafka refuses", () => {
  for (const name of ["", ".", "..", "my topic", "pc/1", "pi:1", "é", "x".repeat(250)]) {
    assert.ok(!TOPIC_NAME.test(name), JSON.stringify(name));
  }
});
