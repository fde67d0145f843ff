import assert from "node:assert/strict";
import { denoRunLine, entryFileOf, taskCommand, taskEntryFiles } from "./deno_tasks.ts";

const DENO_JSON = {
  tasks: {
    consumer: "deno run --allow-net --allow-ffi consumer/main.ts",
    compile: {
      command:
        "deno compile -A --output dist/a producer/main.ts && deno compile -A --output dist/b producer/main.ts",
    },
    train: {
      command:
        "deno run --v8-flags=--max-old-space-size=8192 --allow-read models/train/main.ts --out x.ts",
    },
    setup: { dependencies: ["compile"] },
    shell: "bash testing/kafka/build_test_broker.sh",
  },
};

Deno.test("taskCommand() gives a task's command, or null for a task of dependencies only", () => {
  assert.equal(taskCommand(DENO_JSON, "consumer"), DENO_JSON.tasks.consumer);
  assert.equal(taskCommand(DENO_JSON, "setup"), null);
  assert.throws(() => taskCommand(DENO_JSON, "nope"), /deno\.json has no task 'nope'/);
});

Deno.test("denoRunLine() and entryFileOf() find what a task runs", () => {
  assert.equal(denoRunLine("bash x.sh"), null);
  assert.equal(denoRunLine("deno compile -A producer/main.ts"), null);
  const line = denoRunLine(DENO_JSON.tasks.train.command)!;
  assert.equal(entryFileOf(line), "models/train/main.ts");
});

Deno.test("taskEntryFiles() maps each task that runs a file to that file", () => {
  assert.deepEqual(
    taskEntryFiles(DENO_JSON),
    new Map([["consumer", "consumer/main.ts"], ["train", "models/train/main.ts"]]),
  );
});
