import assert from "node:assert/strict";
import { createLogger } from "./log.ts";

Deno.test("createLogger() writes one line with time, level, name and fields", () => {
  const lines: string[] = [];
  const log = createLogger({ write: (l) => lines.push(l), now: () => 0 }).child("consumer");
  log.info("stored batch", { readings: 12, note: "two words", skipped: undefined });
  assert.deepEqual(lines, [
    '1970-01-01T00:00:00.000Z info  consumer: stored batch readings=12 note="two words"',
  ]);
});

Deno.test("createLogger() drops lines below its level", () => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", write: (l) => lines.push(l) });
  log.info("quiet");
  log.warn("loud");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /warn {2}loud/);
});

Deno.test("createLogger() with the json format writes one JSON object per line", async (t) => {
  const lines: string[] = [];
  const log = createLogger({ format: "json", write: (l) => lines.push(l), now: () => 0 })
    .child("consumer");

  await t.step("time, level, logger, msg, then the fields", () => {
    log.warn("batch failed", { topic: "pc1", partition: 3, retried: true, skipped: undefined });
    assert.equal(
      lines.at(-1),
      '{"time":"1970-01-01T00:00:00.000Z","level":"warn","logger":"consumer",' +
        '"msg":"batch failed","topic":"pc1","partition":3,"retried":true}',
    );
  });

  await t.step("a newline in the message or a value stays on the line", () => {
    log.error("two\nlines", { error: "a\nb" });
    assert.equal(lines.at(-1)!.includes("\n"), false);
    assert.deepEqual(JSON.parse(lines.at(-1)!), {
      time: "1970-01-01T00:00:00.000Z",
      level: "error",
      logger: "consumer",
      msg: "two\nlines",
      error: "a\nb",
    });
  });

  await t.step("a field named like a fixed key does not replace it", () => {
    log.info("hello", { level: "custom", msg: "other", time: 5, logger: "x" });
    const event = JSON.parse(lines.at(-1)!);
    assert.equal(event.level, "info");
    assert.equal(event.msg, "hello");
    assert.equal(event.logger, "consumer");
    assert.equal(event["field.level"], "custom");
    assert.equal(event["field.msg"], "other");
    assert.equal(event["field.time"], 5);
    assert.equal(event["field.logger"], "x");
  });
});

Deno.test("createLogger() refuses an unknown format", () => {
  assert.throws(
    // @ts-expect-error: a format that does not exist
    () => createLogger({ format: "xml" }),
    /'format' must be text or json, got 'xml'/,
  );
});
