import assert from "node:assert/strict";
import { CommandError } from "./command_error.ts";
import { runCommand } from "./run_command.ts";

async function outcome(main: () => Promise<number>) {
  const lines: string[] = [];
  const exits: number[] = [];
  await runCommand(main, {
    printError: (line) => lines.push(line),
    exit: (code) => void exits.push(code),
  });
  return { lines, exits };
}

Deno.test("runCommand() exits with the code main gives", async () => {
  assert.deepEqual(await outcome(() => Promise.resolve(0)), { lines: [], exits: [0] });
  assert.deepEqual(await outcome(() => Promise.resolve(2)), { lines: [], exits: [2] });
});

Deno.test("runCommand() says a CommandError in one line, without a stack trace", async () => {
  const result = await outcome(() =>
    Promise.reject(new CommandError("bucket 'models' does not exist at S3_ENDPOINT x"))
  );
  assert.deepEqual(result, {
    lines: ["error: bucket 'models' does not exist at S3_ENDPOINT x"],
    exits: [1],
  });
});

Deno.test("runCommand() prints an unexpected error with its stack trace and exits 1", async () => {
  const result = await outcome(() => Promise.reject(new TypeError("x is undefined")));
  assert.deepEqual(result.exits, [1]);
  assert.match(result.lines[0]!, /^error: TypeError: x is undefined\n\s+at /);
});
