import { z } from "zod";
import { envNumberMap, parseEnvOrReport, processEnv } from "../../shared/config/parse_env.ts";
import { createFlagCheck, parseFlags } from "../../shared/config/parse_flags.ts";
import { openKvStore } from "../../shared/store/kv_store.ts";
import type { DeviceSequence, FeedbackLabel } from "../dataset.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { readJsonl } from "./read_jsonl.ts";
import { readOldCsv } from "./read_old_csv.ts";
import { readStore } from "./read_store.ts";
import { type Refusal, toSequences } from "./sequences.ts";
import { TRAIN_DEFAULTS, trainModels } from "./train_models.ts";
import { writeModel } from "./write_model.ts";

const USAGE = `Usage: deno task train --out DIR [sources] [options]

Sources (any mix, at least one):
  --from-store           the store at KV_PATH (default $DATA_DIR/monitor.kv), with owner feedback
  --jsonl FILE           readings, one JSON per line (repeat for more files)
  --csv FILE             the old system's CSV export (';', decimal comma; repeat)
  --assume-interval S    CSV rows without a time are consecutive readings S s apart, in file
                         order (without it they are refused: a made-up timeline makes up onsets)
  --simulate N           N simulated devices (with --hours H, --seed S)

Options:
  --horizon S            label: stressed within S seconds (default ${TRAIN_DEFAULTS.horizonS})
  --window N             readings per window (default ${TRAIN_DEFAULTS.window})
  --interval S           seconds between readings (default ${TRAIN_DEFAULTS.intervalS})
  --l2 X                 L2 penalty (default ${TRAIN_DEFAULTS.l2})
  --no-per-device        profile models only
  --no-rule-floor        no floor under a model's score (by default it never scores below the
                         plain rule held to the false-alert budget on the training data)
  --device-min-rows N    windows a device needs for its own model (default ${TRAIN_DEFAULTS.deviceMinRows})`;

const TrainEnvSchema = z.object({
  DATA_DIR: z.string().default("./data"),
  KV_PATH: z.string().optional(),
  HOT_LIMITS: envNumberMap(30, 130).default({}),
});

/** `deno task train`: trains, exports and writes models. */
export async function main(args: string[]): Promise<number> {
  const flags = parseFlags(args, {
    out: { type: "string" },
    "from-store": { type: "boolean", default: false },
    jsonl: { type: "string", multiple: true, default: [] },
    csv: { type: "string", multiple: true, default: [] },
    "assume-interval": { type: "string" },
    simulate: { type: "string" },
    hours: { type: "string", default: "24" },
    seed: { type: "string", default: "1" },
    horizon: { type: "string", default: String(TRAIN_DEFAULTS.horizonS) },
    window: { type: "string", default: String(TRAIN_DEFAULTS.window) },
    interval: { type: "string", default: String(TRAIN_DEFAULTS.intervalS) },
    l2: { type: "string", default: String(TRAIN_DEFAULTS.l2) },
    "no-per-device": { type: "boolean", default: false },
    "no-rule-floor": { type: "boolean", default: false },
    "device-min-rows": { type: "string", default: String(TRAIN_DEFAULTS.deviceMinRows) },
    help: { type: "boolean" },
  }, USAGE);
  if (typeof flags === "number") return flags;
  const env = parseEnvOrReport(TrainEnvSchema, processEnv());
  if (!env) return 2;
  const check = createFlagCheck();
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
  if (check.report(USAGE)) return 2;

  const progress = (line: string) => console.error(`train: ${line}`);
  const began = performance.now();
  const sequences: DeviceSequence[] = [];
  const feedback: FeedbackLabel[] = [];
  const refused: Refusal[] = [];
  if (flags["from-store"]) {
    const path = env.KV_PATH ?? `${env.DATA_DIR}/monitor.kv`;
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

if (import.meta.main) Deno.exit(await main(Deno.args));
