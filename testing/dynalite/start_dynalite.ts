import { commandExists, type TestPeer, testPeer } from "../test_peer.ts";

/**
 * A DynamoDB-compatible server for tests: dynalite (npm) in memory, in its
 * own Deno process on a free port of 127.0.0.1, stopped on dispose. It
 * validates requests as strictly as AWS but has no TTL and no transactions.
 *
 * @example
 * ```ts
 * const peer = await dynalitePeer();
 * Deno.test({ name: "...", ignore: peer.ignore, fn: async () => {
 *   await using server = await startDynalite();
 *   // server.endpoint
 * }});
 * ```
 */
export interface Dynalite extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

export const DYNALITE_INSTALL = "deno task test:setup:dynalite";

const SERVER = new URL("./dynalite_server.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
// --allow-ffi: dynalite loads classic-level, whose prebuilt addon ships in its npm package.
const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--allow-sys", "--allow-ffi"];

let available: Promise<boolean> | null = null;

/** Whether dynalite is installed (in Deno's cache); on CI a missing one is an error. */
export async function dynalitePeer(): Promise<TestPeer> {
  available ??= (async () => {
    if (!(await commandExists(Deno.execPath()))) return false;
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--cached-only", "--config", CONFIG, ...PERMISSIONS, SERVER, "--check"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  })();
  return testPeer({ name: "dynalite", available: await available, install: DYNALITE_INSTALL });
}

export async function startDynalite(options: { startTimeoutMs?: number } = {}): Promise<Dynalite> {
  const timeout = options.startTimeoutMs ?? 20_000;
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "--config", CONFIG, ...PERMISSIONS, SERVER, String(port)],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const listening = Promise.withResolvers<void>();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output = (output + decoder.decode(chunk)).slice(-4000);
      if (output.includes("listening")) listening.resolve();
    }
  };
  const draining = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let closed: Promise<void> | null = null;
  const close = () =>
    closed ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already exited
      }
      await child.status;
      await draining;
    })();
  const timer = Promise.withResolvers<"timeout">();
  const timeoutId = setTimeout(() => timer.resolve("timeout"), timeout);
  const state = await Promise.race([
    listening.promise.then(() => "up" as const),
    child.status,
    timer.promise,
  ]);
  clearTimeout(timeoutId);
  if (state === "timeout") {
    await close();
    throw new Error(`dynalite did not listen on port ${port} within ${timeout} ms:\n${output}`);
  }
  if (typeof state === "object") {
    await draining;
    throw new Error(`dynalite exited with code ${state.code} before serving:\n${output}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
