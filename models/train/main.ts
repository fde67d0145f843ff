import { AlertsEnv } from "../../shared/config/alerts_env.ts";
import { composeEnv, processEnv } from "../../shared/config/parse_env.ts";
import {
  createFlagCheck,
  defineCommand,
  parseCommandLine,
} from "../../shared/config/parse_flags.ts";
import { runCommand } from "../../shared/entry_point/run_command.ts";
import { kvPathOf, StoreEnv } from "../../shared/config/store_env.ts";
import { openKvStore } from "../../shared/store/kv_store.ts";
import type { DeviceSequence, FeedbackLabel } from "../dataset.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { readJsonl } from "./read_jsonl.ts";
import { readOldCsv } from "./read_old_csv.ts";
import { readStore } from "./read_store.ts";
import { type Refusal, toSequences } from "./sequences.ts";
import { TRAIN_DEFAULTS, trainModels } from "./train_models.ts";
import { writeModel } from "./write_model.ts";

export const TRAIN_COMMAND = defineCommand({
  name: "deno task train",
  synopsis: "--out DIR [sources] [options]",
  about: `Trains a model per profile (and per device with enough data of its own), exports
each to ONNX with its metadata and writes them to --out. Sources, any mix, at
least one: --from-store, --jsonl, --csv, --simulate.`,
  flags: {
    out: { type: "string", value: "dir", help: "where to write <name>.onnx and <name>.json" },
    "from-store": {
      type: "boolean",
      default: false,
      help: "the store at KV_PATH (or DATA_DIR), with the owner's feedback",
    },
    jsonl: {
      type: "string",
      value: "file",
      multiple: true,
      default: [],
      help: "readings, one JSON per line (repeat for more files)",
    },
    csv: {
      type: "string",
      value: "file",
      multiple: true,
      default: [],
      help: "the old system's CSV export (';', decimal comma; repeat)",
    },
    "assume-interval": {
      type: "string",
      value: "s",
      help: "CSV rows without a time are consecutive readings this many s apart, in file order " +
        "(without it they are refused: a made-up timeline makes up onsets)",
    },
    simulate: { type: "string", value: "N", help: "N simulated devices (with --hours, --seed)" },
    hours: { type: "string", value: "H", default: "24", help: "hours of simulated readings" },
    seed: { type: "string", value: "S", default: "1", help: "seed of the simulation" },
    horizon: {
      type: "string",
      value: "s",
      default: String(TRAIN_DEFAULTS.horizonS),
      help: "label: stressed within this many seconds",
    },
    window: {
      type: "string",
      value: "N",
      default: String(TRAIN_DEFAULTS.window),
      help: "readings per window",
    },
    interval: {
      type: "string",
      value: "s",
      default: String(TRAIN_DEFAULTS.intervalS),
      help: "seconds between readings",
    },
    l2: { type: "string", value: "x", default: String(TRAIN_DEFAULTS.l2), help: "L2 penalty" },
    "no-per-device": { type: "boolean", default: false, help: "profile models only" },
    "no-rule-floor": {
      type: "boolean",
      default: false,
      help: "no floor under a model's score (by default it never scores below the plain rule " +
        "held to the false-alert budget on the training data)",
    },
    "device-min-rows": {
      type: "string",
      value: "N",
      default: String(TRAIN_DEFAULTS.deviceMinRows),
      help: "windows a device needs for its own model",
    },
  },
  env: composeEnv(StoreEnv, AlertsEnv.pick({ HOT_LIMITS: true })),
});

/** `deno task train`: trains, exports and writes models. */
export async function main(
  args: string[],
  environment: Record<string, string | undefined> = processEnv(),
): Promise<number> {
  const line = parseCommandLine(TRAIN_COMMAND, args, environment);
  if (typeof line === "number") return line;
  const { flags, config: env } = line;
  const check = createFlagCheck(TRAIN_COMMAND);
  const num = (name: string, value: string, ok: (n: number) => boolean) =>
    check.number(name, value, ok);
  const horizonS = num("horizon", flags.horizon, (n) => n > 0 && n <= 3600);
  const window = num("window", flags.window, (n) => Number.isInteger(n) && n >= 2 && n <= 720);
  const intervalS = num("interval", flags.interval, (n) => n > 0 && n <= 3600);
  const l2 = num("l2", flags.l2, (n) => n >= 0);
  const deviceMinRows = num(
    "device-min-rows",
    flags["device-min-rows"],
    (n) => Number.isInteger(n) && n > 0,
  );
  const assumeIntervalS = flags["assume-interval"] === undefined
    ? undefined
    : num("assume-interval", flags["assume-interval"], (n) => n > 0 && n <= 3600);
  check.expect(
    assumeIntervalS === undefined || flags.csv.length > 0,
    "--assume-interval is for --csv files: give one",
  );
  const hours = num("hours", flags.hours, (n) => n > 0 && n <= 8784);
  const seed = num("seed", flags.seed, Number.isInteger);
  const simulate = flags.simulate === undefined
    ? 0
    : num("simulate", flags.simulate, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000);
  check.expect(Boolean(flags.out), "--out is required");
  check.expect(
    flags["from-store"] || flags.jsonl.length > 0 || flags.csv.length > 0 || simulate > 0,
    "no source: give --from-store, --jsonl, --csv or --simulate",
  );
  if (check.report()) return 2;

  const progress = (line: string) => console.error(`train: ${line}`);
  const began = performance.now();
  const sequences: DeviceSequence[] = [];
  const feedback: FeedbackLabel[] = [];
  const refused: Refusal[] = [];
  if (flags["from-store"]) {
    const path = kvPathOf(env);
    const store = await openKvStore(path);
    try {
      const data = await readStore(
        store,
        (device, n) => progress(`store: ${device} ${n} readings`),
      );
      sequences.push(...toSequences(data.readings, env.HOT_LIMITS));
      feedback.push(...data.feedback);
      progress(`store ${path}: ${data.readings.length} readings, ${data.feedback.length} feedback`);
    } finally {
      await store.close();
    }
  }
  const fromJsonl = [];
  for (const path of flags.jsonl) {
    const data = await readJsonl(path, (lines) => progress(`${path}: ${lines} lines`));
    fromJsonl.push(...data.readings);
    refused.push(...data.refused);
    progress(`${path}: ${data.readings.length} readings, ${data.refused.length} refused`);
  }
  sequences.push(...toSequences(fromJsonl, env.HOT_LIMITS));
  for (const path of flags.csv) {
    const data = await readOldCsv(path, { assumeIntervalS });
    sequences.push(...data.sequences);
    refused.push(...data.refused);
    for (const note of data.notes) progress(note);
    progress(`${path}: ${data.rows} rows, ${data.refusedRows} refused`);
  }
  if (simulate) {
    progress(`simulating ${simulate} devices for ${hours} h (seed ${seed})`);
    sequences.push(...simulateSequences({ devices: simulate, hours, seed, intervalS }));
  }
  for (const r of refused.slice(0, 10)) progress(`refused ${r.source}:${r.line}: ${r.error}`);
  if (refused.length > 10) progress(`... and ${refused.length - 10} more refused`);

  const trained = await trainModels({ sequences, feedback }, {
    horizonS,
    window,
    intervalS,
    l2,
    deviceMinRows,
    perDevice: !flags["no-per-device"],
    ruleFloor: !flags["no-rule-floor"],
  }, { progress, now: Date.now });
  if (trained.length === 0) {
    progress("no model trained: not enough data (see above)");
    return 1;
  }
  for (const model of trained) {
    const metadata = await writeModel(flags.out!, model);
    progress(
      `wrote ${flags.out}/${metadata.name}.onnx (${model.onnx.length} bytes, sha256 ${
        metadata.onnx_sha256.slice(0, 12)
      })`,
    );
  }
  progress(`done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  return 0;
}

if (import.meta.main) await runCommand(() => main(Deno.args));
