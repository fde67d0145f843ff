import { parseArgs } from "node:util";
import { parseEnvOrReport, processEnv } from "../shared/config/parse_env.ts";
import { createLogger } from "../shared/log.ts";
import { startLocalSystem } from "./local_system.ts";
import { deviceNameFromHost, StartConfigSchema } from "./start_config.ts";

/**
 * `deno task start`: the whole system on this machine, no configuration, no
 * external service. Ctrl-C stops it cleanly; data stays in ./data.
 * `--simulate N` adds N simulated devices (the first two heat up within minutes).
 */
async function main(args: string[]): Promise<number> {
  let simulate = 0;
  try {
    const { values } = parseArgs({ args, strict: true, options: { simulate: { type: "string" } } });
    if (values.simulate !== undefined) {
      simulate = Number(values.simulate);
      if (!Number.isInteger(simulate) || simulate < 0 || simulate > 1000) {
        throw new TypeError(
          `--simulate must be a whole number of devices from 0 to 1000, got '${values.simulate}'`,
        );
      }
    }
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: deno task start [--simulate N]`);
    return 2;
  }
  const config = parseEnvOrReport(StartConfigSchema, processEnv());
  if (!config) return 2;
  const log = createLogger({ level: config.LOG_LEVEL });
  const device = config.DEVICE_NAME ?? deviceNameFromHost(Deno.hostname());
  let system;
  try {
    system = await startLocalSystem({ config, device, log, simulate });
  } catch (error) {
    log.error(`cannot start: ${(error as Error).message}`);
    return 1;
  }
  console.log(`\n  API:     ${system.url}\n  Swagger: ${system.url}/docs\n\n  Ctrl-C to stop.\n`);
  const stopped = Promise.withResolvers<void>();
  const onSignal = () => stopped.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  await stopped.promise;
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  log.info("stopping");
  await system.stop();
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
