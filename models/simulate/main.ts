import { parseArgs } from "node:util";
import { writeSimulation } from "./write_jsonl.ts";

const USAGE = `Usage: deno task simulate --devices N --hours H --seed S --out file.jsonl
  [--prefix sim] [--start 2026-01-01T00:00:00Z] [--interval 5]

Writes realistic simulated readings (flagged "simulated": true), one JSON per
line, deterministic from the seed. Devices alternate pc and raspberry.`;

/** `deno task simulate`: simulated readings to a JSONL file. */
export async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args,
      strict: true,
      options: {
        devices: { type: "string" },
        hours: { type: "string" },
        seed: { type: "string", default: "1" },
        out: { type: "string" },
        prefix: { type: "string", default: "sim" },
        start: { type: "string" },
        interval: { type: "string", default: "5" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const problems: string[] = [];
  const number = (name: string, value: string | undefined, check: (n: number) => boolean) => {
    const n = Number(value);
    if (value === undefined) problems.push(`--${name} is required`);
    else if (!check(n)) problems.push(`--${name} '${value}' is not valid`);
    return n;
  };
  const devices = number(
    "devices",
    flags.devices,
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
  );
  const hours = number("hours", flags.hours, (n) => n > 0 && n <= 8784);
  const seed = number("seed", flags.seed, Number.isInteger);
  const intervalS = number("interval", flags.interval, (n) => Number.isInteger(n) && n >= 1);
  const start = flags.start === undefined ? undefined : Date.parse(flags.start);
  if (start !== undefined && Number.isNaN(start)) {
    problems.push(`--start '${flags.start}' is not a time`);
  }
  if (!flags.out) problems.push("--out is required");
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(flags.prefix)) {
    problems.push(`--prefix '${flags.prefix}' must be 1-40 letters, digits, '.', '_' or '-'`);
  }
  if (problems.length > 0) {
    console.error(`${problems.join("\n")}\n\n${USAGE}`);
    return 2;
  }
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
  console.error(
    `wrote ${summary.readings} readings of ${summary.devices} devices to ${flags.out} in ${
      ((performance.now() - began) / 1000).toFixed(1)
    } s`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
