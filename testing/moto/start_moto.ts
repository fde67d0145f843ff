import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { s3ClientConfig } from "../../shared/models/s3_config.ts";
import { startServerProcess } from "../start_server_process.ts";
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
  const server = await startServerProcess({
    name: "moto_server",
    command: "moto_server",
    args: (port) => ["-H", "127.0.0.1", "-p", String(port)],
    ready: { probe },
    startTimeoutMs: options.startTimeoutMs,
  });
  const { endpoint } = server;
  const clients: S3Client[] = [];
  let closed: Promise<void> | null = null;
  const close = () =>
    closed ??= (async () => {
      for (const c of clients) c.destroy();
      await server.close();
    })();

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

async function probe(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false; // not listening yet
  }
}
