/**
 * Decides whether tests that need an external test peer (the Kafka test broker,
 * moto_server, dynalite, chromium, qemu) can run.
 *
 * - Peer present: the tests run.
 * - Peer missing and `CI=true`: an error, so CI goes red instead of silently
 *   skipping.
 * - Peer missing on a laptop: the tests are ignored and one line says how to
 *   install the peer.
 *
 * @example
 * ```ts
 * const broker = testPeer({ name: "kafka test broker", available: await brokerBuilt(), install: "deno task test:setup" });
 * Deno.test({ name: "...", ignore: broker.ignore, fn: async () => {} });
 * ```
 */
export interface TestPeerOptions {
  /** What the peer is, for the notice: "moto_server". */
  name: string;
  /** Whether the peer can be started on this machine. */
  available: boolean;
  /** The command that installs it: "pip install 'moto[server]'". */
  install: string;
  /** Environment lookup, replaceable in tests. */
  env?: (name: string) => string | undefined;
  /** Where the one-line notice goes. */
  notice?: (line: string) => void;
}

export interface TestPeer {
  /** Pass to `Deno.test({ ignore })`. */
  ignore: boolean;
}

const noticed = new Set<string>();

export function testPeer(options: TestPeerOptions): TestPeer {
  if (options.available) return { ignore: false };
  const env = options.env ?? ((name) => Deno.env.get(name));
  if (env("CI") === "true") {
    throw new Error(
      `Test peer '${options.name}' is missing and CI=true: install it with: ${options.install}`,
    );
  }
  if (!noticed.has(options.name)) {
    noticed.add(options.name);
    (options.notice ?? console.warn)(
      `skipping tests that need ${options.name} (not found); install it with: ${options.install}`,
    );
  }
  return { ignore: true };
}

/** True when `command` can be found on PATH (or is an existing path). */
export async function commandExists(command: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("sh", {
      args: ["-c", `command -v "$0" >/dev/null 2>&1`, command],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}
