import { EXIT } from "./exit_codes.ts";

/**
 * A failure to tell the user in one line, without a stack trace: what went
 * wrong and what to do, naming the variable or flag at fault. Commands throw
 * it; `runCommand()` prints the message and exits with `exitCode`.
 */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failure) {
    super(message);
    this.name = "CommandError";
  }
}
