import { processEnv } from "../shared/config/parse_env.ts";
import { runProducer } from "./run_producer.ts";

/**
 * `deno task producer` and the compiled `producer-<arch>-linux`: this
 * machine's sensors to Kafka. SIGTERM or Ctrl-C flushes the readings in
 * flight (to Kafka or to the disk buffer) and exits 0.
 */
async function main(): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGTERM", onSignal);
  Deno.addSignalListener("SIGINT", onSignal);
  try {
    return await runProducer({
      args: Deno.args,
      env: processEnv(),
      hostname: Deno.hostname(),
      print: (line) => console.log(line),
      printError: (line) => console.error(line),
      stop: stop.signal,
    });
  } finally {
    Deno.removeSignalListener("SIGTERM", onSignal);
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

if (import.meta.main) Deno.exit(await main());
