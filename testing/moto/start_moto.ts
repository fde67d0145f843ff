import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { s3ClientConfig } from "../../shared/models/s3_config.ts";
import { commandExists, type TestPeer, testPeer } from "../test_peer.ts";

/**
 * An S3-compatible server for tests: moto_server (Python package moto) on a
 * free port of 127.0.0.1, memory only, stopped on dispose.
 *
 * @example
 * ```ts
 * const moto = await motoPeer();
 * Deno.test({ name: "...", ignore: moto.ignore, fn: async () => {
 *   await using s3 = await startMoto();
 *   const client = s3.client();
 * }});
 * ```
 */
export interface Moto extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** An S3 client for the server (path style, test credentials); closed with the server. */
  client(): S3Client;
  /** Creates a bucket, with versioning unless told otherwise. */
  createBucket(name: string, options?: { versioning?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export const MOTO_INSTALL = "pip install 'moto[server]'";

/** Whether moto_server can be started here; on CI a missing one is an error. */
export async function motoPeer(): Promise<TestPeer> {
  return testPeer({
    name: "moto_server",
    available: await commandExists("moto_server"),
    install: MOTO_INSTALL,
  });
}

export async function startMoto(options: { startTimeoutMs?: number } = {}): Promise<Moto> {
  const timeout = options.startTimeoutMs ?? 20_000;
  const port = freePort();
  const child = new Deno.Command("moto_server", {
    args: ["-H", "127.0.0.1", "-p", String(port)],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const draining = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) stderr = (stderr + decoder.decode(chunk)).slice(-4000);
  })();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  let closed: Promise<void> | null = null;
  const close = () =>
    closed ??= (async () => {
      for (const c of clients) c.destroy();
      try {
        child.kill("SIGTERM");
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // already exited
      }
      await child.status;
      await draining;
    })();

  const started = Date.now();
  const exited = child.status.then((s) => s);
  while (true) {
    const state = await Promise.race([exited, probe(endpoint).then((ok) => (ok ? "up" : "down"))]);
    if (state === "up") break;
    if (typeof state === "object") {
      await draining;
      throw new Error(`moto_server exited with code ${state.code} before serving:\n${stderr}`);
    }
    if (Date.now() - started > timeout) {
      await close();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeout} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const moto: Moto = {
    endpoint,
    client() {
      const client = new S3Client(s3ClientConfig({
        AWS_REGION: "us-east-1",
        S3_ENDPOINT: endpoint,
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      }));
      clients.push(client);
      return client;
    },
    async createBucket(name, bucketOptions = {}) {
      const client = moto.client();
      await client.send(new CreateBucketCommand({ Bucket: name }));
      if (bucketOptions.versioning ?? true) {
        await client.send(
          new PutBucketVersioningCommand({
            Bucket: name,
            VersioningConfiguration: { Status: "Enabled" },
          }),
        );
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  return moto;
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

async function probe(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false; // not listening yet
  }
}
