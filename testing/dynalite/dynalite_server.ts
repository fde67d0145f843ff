/**
 * Runs dynalite (a DynamoDB-compatible server, in memory) on
 * 127.0.0.1:<port>, for tests and benchmarks: `deno run --allow-net
 * --allow-env --allow-read --allow-sys --allow-ffi testing/dynalite/dynalite_server.ts
 * <port>`. Prints `listening` when it serves; `--check` only loads it (to
 * tell whether dynalite is installed) and exits.
 */
import dynalite from "dynalite";

if (import.meta.main) {
  const [first] = Deno.args;
  if (first === "--check") Deno.exit(0);
  const port = Number(first);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`usage: dynalite_server.ts <port>; got '${first}'`);
    Deno.exit(2);
  }
  // Tables are ACTIVE at once: tests create one per case.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(port, "127.0.0.1", () => console.log("listening"));
  Deno.addSignalListener("SIGTERM", () => server.close(() => Deno.exit(0)));
}
