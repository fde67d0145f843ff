import { processEnv } from "../shared/config/parse_env.ts";
import { createFlagCheck, defineCommand, parseCommandLine } from "../shared/config/parse_flags.ts";
import { deviceOf } from "../producer/sensors_env.ts";
import { runCommand } from "../shared/entry_point/run_command.ts";
import { runUntilSignal } from "../shared/entry_point/run_until_signal.ts";
import { createLogger } from "../shared/log.ts";
import { startLocalSystem } from "./local_system.ts";
import { StartConfigSchema } from "./start_config.ts";

export const START_COMMAND = defineCommand({
  name: "deno task start",
  about: `Runs everything on this machine, with no configuration and no other service:
samples its sensors as a device named after the host, runs the consumer and
the store (a Deno KV file under ./data) and serves the API with its Swagger
page. Ctrl-C stops it cleanly; the data stays for the next start.`,
  flags: {
    simulate: {
      type: "string",
      value: "N",
      help: "add N simulated devices, 0-1000 (the first two heat up within minutes)",
    },
  },
  env: StartConfigSchema,
});

/** `deno task start`: the whole system on this machine. */
async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(START_COMMAND, args, processEnv());
  if (typeof line === "number") return line;
  const { flags, config } = line;
  const check = createFlagCheck(START_COMMAND);
  const simulate = flags.simulate === undefined ? 0 : check.number(
    "simulate",
    flags.simulate,
    (n) => Number.isInteger(n) && n >= 0 && n <= 1000,
    { must: "a whole number of devices from 0 to 1000" },
  );
  if (check.report()) return 2;
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const device = deviceOf(config, Deno.hostname());
  return await runUntilSignal(async () => {
    const system = await startLocalSystem({ config, device, log, simulate });
    console.log(
      `\n  Status:  ${system.url}/\n  API:     ${system.url}/v1\n  Swagger: ${system.url}/docs\n\n  Ctrl-C to stop.\n`,
    );
    return system;
  }, { log, settings: config });
}

if (import.meta.main) await runCommand(() => main(Deno.args));
