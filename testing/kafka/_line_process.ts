import { readLines } from "../read_lines.ts";

export interface LineProcessOptions {
  /** What the process is, for error messages: "kafka test broker". */
  name: string;
  command: string | URL;
  args: string[];
  /** How long to wait for the first stdout line. */
  startTimeoutMs: number;
  /** How long `close()` waits after closing stdin before SIGKILL. */
  killAfterMs: number;
}

/**
 * A child process spoken to in lines: it greets with one stdout line, then
 * answers every stdin line with exactly one stdout line, and exits when its
 * stdin closes.
 */
export interface LineProcess {
  /** The first stdout line. */
  readonly greeting: string;
  readonly pid: number;
  /** Sends one line; resolves with the line that answers it. */
  request(line: string): Promise<string>;
  /** Closes stdin, SIGKILLs the process if it lingers, waits for its exit. */
  close(): Promise<void>;
}

const STDERR_TAIL_CHARS = 4000;

export async function spawnLineProcess(options: LineProcessOptions): Promise<LineProcess> {
  const child = new Deno.Command(options.command, {
    args: options.args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const greeting = Promise.withResolvers<string>();
  const waiting: PromiseWithResolvers<string>[] = [];
  let stderrTail = "";
  let ended: Error | undefined;
  let closing: Promise<void> | undefined;

  const stderrDone = (async () => {
    for await (const line of readLines(child.stderr)) {
      stderrTail = (stderrTail + line + "\n").slice(-STDERR_TAIL_CHARS);
    }
  })();

  const stdoutDone = (async () => {
    let first = true;
    for await (const line of readLines(child.stdout)) {
      if (first) {
        first = false;
        greeting.resolve(line);
      } else {
        waiting.shift()?.resolve(line);
      }
    }
    const status = await child.status;
    await stderrDone;
    const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
    ended = new Error(
      `${options.name} exited (${how})` +
        (stderrTail ? `; its stderr ends with:\n${stderrTail}` : ""),
    );
    greeting.reject(ended);
    for (const reply of waiting.splice(0)) reply.reject(ended);
  })();

  async function close(): Promise<void> {
    closing ??= (async () => {
      // Fails when the process is already gone, which is the goal anyway.
      await writer.close().catch(() => {});
      const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
      try {
        await stdoutDone;
      } finally {
        clearTimeout(timer);
      }
    })();
    return await closing;
  }

  const timeout = Promise.withResolvers<never>();
  const timer = setTimeout(
    () =>
      timeout.reject(
        new Error(
          `${options.name} printed nothing within ${options.startTimeoutMs} ms of starting`,
        ),
      ),
    options.startTimeoutMs,
  );
  let first: string;
  try {
    first = await Promise.race([greeting.promise, timeout.promise]);
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    greeting: first,
    pid: child.pid,
    async request(line) {
      if (ended ?? closing) {
        throw new Error(`${options.name} is closed; cannot send '${line}'`, { cause: ended });
      }
      const reply = Promise.withResolvers<string>();
      waiting.push(reply);
      try {
        await writer.write(encoder.encode(line + "\n"));
      } catch (error) {
        const index = waiting.indexOf(reply);
        if (index !== -1) waiting.splice(index, 1);
        reply.promise.catch(() => {}); // its rejection is reported by the throw below
        throw new Error(`${options.name}: cannot send '${line}'`, { cause: ended ?? error });
      }
      return await reply.promise;
    },
    close,
  };
}
