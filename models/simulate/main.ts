import { createFlagCheck, parseFlags } from "../../shared/config/parse_flags.ts";
import { fleetHotLimits, writeSimulation } from "./write_jsonl.ts";

const USAGE = `Usage: deno task simulate --devices N --hours H --seed S --out file.jsonl
  [--prefix sim] [--start 2026-01-01T00:00:00Z] [--interval 5]

Writes realistic simulated readings (flagged "simulated": true), one JSON per
line, deterministic from the seed. Devices alternate pc and raspberry, each
of a kind drawn from real devices (Pi 3B to Pi 5, 15-W laptops to 250-W
desktops) with the hot limit its owner would configure: the run prints them
as HOT_LIMITS=... for reading the file back with train --jsonl or evaluate.`;

/** `deno task simulate`: simulated readings to a JSONL file. */
export async function main(args: string[]): Promise<number> {
  const flags = parseFlags(args, {
    devices: { type: "string" },
    hours: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    prefix: { type: "string", default: "sim" },
    start: { type: "string" },
    interval: { type: "string", default: "5" },
    help: { type: "boolean" },
  }, USAGE);
  if (typeof flags === "number") return flags;
  const check = createFlagCheck();
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
  if (check.report(USAGE)) return 2;
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

if (import.meta.main) Deno.exit(await main(Deno.args));
