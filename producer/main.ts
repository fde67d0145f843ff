import { processEnv } from "../shared/config/parse_env.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { runUntilSignal } from "../shared/entry_point/run_until_signal.ts";
import { createLogger } from "../shared/log.ts";
import { runProducer } from "./run_producer.ts";

/**
 * `deno task producer` and the compiled `producer-<arch>-linux`: this
 * machine's sensors to Kafka. SIGTERM or Ctrl-C flushes the readings in
 * flight (to Kafka or to the disk buffer) and exits 0.
 */
async function main(): Promise<number> {
  return await runUntilSignal((stop) =>
    runProducer({
      args: Deno.args,
      env: processEnv(),
      hostname: Deno.hostname(),
      print: (line) => console.log(line),
      printError: (line) => console.error(line),
      stop,
    }), { log: createLogger() });
}

if (import.meta.main) await runCommand(main);
