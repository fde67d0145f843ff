import { startServerProcess } from "../start_server_process.ts";
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
/** `deno run` of the server, from Deno's cache only. */
const RUN = ["run", "--cached-only", "--config", CONFIG, ...PERMISSIONS];

let available: Promise<boolean> | null = null;

/** Whether dynalite is installed (in Deno's cache); on CI a missing one is an error. */
export async function dynalitePeer(): Promise<TestPeer> {
  available ??= (async () => {
    if (!(await commandExists(Deno.execPath()))) return false;
    const { success } = await new Deno.Command(Deno.execPath(), {
      args: [...RUN, SERVER, "--check"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  })();
  return testPeer({ name: "dynalite", available: await available, install: DYNALITE_INSTALL });
}

export async function startDynalite(options: { startTimeoutMs?: number } = {}): Promise<Dynalite> {
  return await startServerProcess({
    name: "dynalite",
    command: Deno.execPath(),
    args: (port) => [...RUN, SERVER, String(port)],
    ready: { output: "listening" },
    stdout: true,
    startTimeoutMs: options.startTimeoutMs,
  });
}
