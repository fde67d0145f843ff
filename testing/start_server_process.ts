/**
 * A test server run as a child process (dynalite, moto_server) on a free port
 * of 127.0.0.1, stopped on dispose.
 */
export interface ServerProcess extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** SIGTERM, then waits for its end; safe to call again. */
  close(): Promise<void>;
}

export interface ServerProcessOptions {
  /** What it is, for errors: "moto_server". */
  name: string;
  command: string;
  /** Its arguments, given the port it is to listen on. */
  args: (port: number) => string[];
  /**
   * When it serves: once its output has `output` in it, or once `probe`
   * answers true (asked every 100 ms).
   */
  ready: { output: string } | { probe: (endpoint: string) => Promise<boolean> };
  /** Read its stdout as well as its stderr (for `ready.output` and errors). Default false. */
  stdout?: boolean;
  /** How long it may take to serve, ms. Default 20,000. */
  startTimeoutMs?: number;
}

/** The end of a server's output kept for error messages, characters. */
const OUTPUT_TAIL_CHARS = 4000;
const PROBE_EVERY_MS = 100;

/**
 * Starts `command` on a port that was free a moment ago and waits until it
 * serves. Throws, with the end of its output, when it exits first or does
 * not serve within `startTimeoutMs` (then it is stopped).
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const timeout = options.startTimeoutMs ?? 20_000;
  const port = freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(options.command, {
    args: options.args(port),
    stdin: "null",
    stdout: options.stdout ? "piped" : "null",
    stderr: "piped",
  }).spawn();
  let output = "";
  const readyOutput = "output" in options.ready ? options.ready.output : null;
  const seen = Promise.withResolvers<void>();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output = (output + decoder.decode(chunk)).slice(-OUTPUT_TAIL_CHARS);
      if (readyOutput !== null && output.includes(readyOutput)) seen.resolve();
    }
  };
  const draining = Promise.all([drain(child.stderr), options.stdout ? drain(child.stdout) : null]);
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

  const stopProbing = new AbortController();
  const probing = "probe" in options.ready
    ? probeUntilUp(options.ready.probe, endpoint, stopProbing.signal)
    : null;
  const timer = Promise.withResolvers<"timeout">();
  const timeoutId = setTimeout(() => timer.resolve("timeout"), timeout);
  const state = await Promise.race([
    (probing ?? seen.promise).then(() => "up" as const),
    child.status,
    timer.promise,
  ]);
  clearTimeout(timeoutId);
  stopProbing.abort();
  await probing;
  if (state === "timeout") {
    await close();
    throw new Error(
      `${options.name} did not answer on ${endpoint} within ${timeout} ms:\n${output}`,
    );
  }
  if (typeof state === "object") {
    await draining;
    throw new Error(`${options.name} exited with code ${state.code} before serving:\n${output}`);
  }
  return { endpoint, port, close, [Symbol.asyncDispose]: close };
}

/** Resolves once `probe` answers true, or when `signal` aborts. */
async function probeUntilUp(
  probe: (endpoint: string) => Promise<boolean>,
  endpoint: string,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    if (await probe(endpoint)) return;
    await new Promise<void>((resolve) => {
      const id = setTimeout(resolve, PROBE_EVERY_MS);
      signal.addEventListener("abort", () => {
        clearTimeout(id);
        resolve();
      }, { once: true });
    });
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}
