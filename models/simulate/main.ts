import { z } from "zod";
import {
  createFlagCheck,
  defineCommand,
  parseCommandLine,
} from "../../shared/config/parse_flags.ts";
import { runCommand } from "../../shared/entry_point/run_command.ts";
import { SIMULATION_START } from "./simulate_fleet.ts";
import { fleetHotLimits, writeSimulation } from "./write_jsonl.ts";

export const SIMULATE_COMMAND = defineCommand({
  name: "deno task simulate",
  synopsis: "--devices N --hours H --out file.jsonl [options]",
  about: `Writes realistic simulated readings (flagged "simulated": true), one JSON per
line, deterministic from the seed. Devices alternate pc and raspberry, each
of a kind drawn from real devices (Pi 3B to Pi 5, 15-W laptops to 250-W
desktops) with the hot limit its owner would configure: the run prints them
as HOT_LIMITS=... for reading the file back with train --jsonl or evaluate.`,
  flags: {
    devices: { type: "string", value: "N", help: "how many devices (1-10000)" },
    hours: { type: "string", value: "H", help: "how many hours of readings" },
    seed: { type: "string", value: "S", default: "1", help: "the same seed gives the same file" },
    out: { type: "string", value: "file.jsonl", help: "where to write" },
    prefix: { type: "string", value: "name", default: "sim", help: "start of the device names" },
    start: {
      type: "string",
      value: "time",
      help: `time of the first reading (default ${new Date(SIMULATION_START).toISOString()})`,
    },
    interval: { type: "string", value: "s", default: "5", help: "seconds between readings" },
  },
  env: z.object({}),
});

/** `deno task simulate`: simulated readings to a JSONL file. */
export async function main(args: string[]): Promise<number> {
  const line = parseCommandLine(SIMULATE_COMMAND, args, {});
  if (typeof line === "number") return line;
  const { flags } = line;
  const check = createFlagCheck(SIMULATE_COMMAND);
  const devices = check.number(
    "devices",
    flags.devices,
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
  );
  const hours = check.number("hours", flags.hours, (n) => n > 0 && n <= 8784);
  const seed = check.number("seed", flags.seed, Number.isInteger);
  const intervalS = check.number("interval", flags.interval, (n) => Number.isInteger(n) && n >= 1);
  const start = flags.start === undefined ? undefined : Date.parse(flags.start);
  check.expect(
    start === undefined || !Number.isNaN(start),
    `--start '${flags.start}' is not a time`,
  );
  check.expect(Boolean(flags.out), "--out is required");
  check.expect(
    /^[A-Za-z0-9._-]{1,40}$/.test(flags.prefix),
    `--prefix '${flags.prefix}' must be 1-40 letters, digits, '.', '_' or '-'`,
  );
  if (check.report()) return 2;
  const began = performance.now();
  const summary = await writeSimulation(flags.out!, {
    devices,
    hours,
    seed,
    prefix: flags.prefix,
    start,
    intervalS,
  }, (p) => {
    console.error(
      `simulated ${p.devices}/${p.total} devices (${p.device}), ${p.readings} readings`,
    );
  });
  const limits = fleetHotLimits({ devices, seed, prefix: flags.prefix });
  if (limits) console.error(`hot limits of this fleet: HOT_LIMITS=${limits}`);
  console.error(
    `wrote ${summary.readings} readings of ${summary.devices} devices to ${flags.out} in ${
      ((performance.now() - began) / 1000).toFixed(1)
    } s`,
  );
  return 0;
}

if (import.meta.main) await runCommand(() => main(Deno.args));
