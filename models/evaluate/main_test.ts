import assert from "node:assert/strict";
import { aPcHeatUp } from "../../testing/a_heat_up.ts";
import { main } from "./main.ts";

const MODELS = new URL("../trained", import.meta.url).pathname;
/** A small simulated training fleet: the budget rule and the old baseline train in seconds. */
const SMALL_TRAINING = ["--train-devices", "2", "--train-hours", "2"];

/** Runs `deno task evaluate` in-process in a temporary folder; gives its exit code, output and JSON. */
async function evaluate(
  args: (dir: string) => string[],
  files: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> | null }> {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    const out: string[] = [], err: string[] = [];
    const code = await main(
      ["--models", MODELS, "--json", `${dir}/evaluation.json`, ...args(dir)],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    const json = code === 0 ? JSON.parse(await Deno.readTextFile(`${dir}/evaluation.json`)) : null;
    return { code, out: out.join("\n"), err: err.join("\n"), json };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const HEAT_UP = aPcHeatUp({ device: "ryzen", peakC: 86.5 }).map((r) => JSON.stringify(r)).join(
  "\n",
);
type Row = { profile: string; scorer: string; metrics: { episodes: number } };
const episodesOf = (json: Record<string, unknown> | null) =>
  (json!.results as Row[]).find((r) => r.profile === "all" && r.scorer === "model")!.metrics
    .episodes;

Deno.test("deno task evaluate --test-jsonl honours the device's hot limit (--hot-limits, HOT_LIMITS)", async (t) => {
  const files = { "ryzen.jsonl": HEAT_UP };
  const run = (extra: string[]) =>
    evaluate((dir) => ["--test-jsonl", `${dir}/ryzen.jsonl`, ...SMALL_TRAINING, ...extra], files);
  await t.step("at the pc default of 90 °C a peak of 86.5 °C is never stressed", async () => {
    const { code, json } = await run([]);
    assert.equal(code, 0);
    assert.equal(episodesOf(json), 0);
  });
  await t.step("--hot-limits ryzen=84.5 makes it one episode", async () => {
    assert.equal(episodesOf((await run(["--hot-limits", "ryzen=84.5"])).json), 1);
  });
  await t.step("so does HOT_LIMITS from the environment", async () => {
    Deno.env.set("HOT_LIMITS", "ryzen=84.5");
    try {
      assert.equal(episodesOf((await run([])).json), 1);
    } finally {
      Deno.env.delete("HOT_LIMITS");
    }
  });
});

Deno.test("deno task evaluate --traces prints the tables and writes the per-recording JSON", async () => {
  const { code, out, json } = await evaluate(
    (dir) => ["--traces", dir, "--budget-thresholds", "pc=0.95,raspberry=0.9"],
    {
      "ryzen.jsonl": HEAT_UP,
      "ryzen.json": JSON.stringify({ device: "ryzen", profile: "pc", hot_limit_c: 84.5 }),
    },
  );
  assert.equal(code, 0);
  assert.match(out, /1 recordings in /);
  assert.match(out, /^ryzen \(84\.5 °C\)\s+model\s/m);
  assert.match(
    out,
    /^ryzen \(84\.5 °C\)\s+rule at the false-alert budget \(t: pc 0\.95, raspberry 0\.9\)/m,
  );
  assert.match(
    out,
    /^pc: 1 episodes; warned ≥ 30 s ahead: model \d\/1, rule 1\/1, budget_rule 0\/1/m,
  );
  assert.deepEqual(json!.budget_rule, {
    thresholds: { pc: 0.95, raspberry: 0.9 },
    chosen_on: "given (--budget-thresholds)",
  });
  const [trace] = json!.traces as {
    device: string;
    hot_limit_c: number;
    episodes: { leads: Record<string, number> }[];
    results: { key: string; metrics: { false_alerts_per_device_day: number | null } }[];
  }[];
  assert.equal(trace!.device, "ryzen");
  assert.equal(trace!.hot_limit_c, 84.5);
  assert.deepEqual(Object.keys(trace!.episodes[0]!.leads), ["model", "rule", "budget_rule"]);
  assert.equal(trace!.episodes[0]!.leads.rule, 55);
  assert.equal(trace!.results[0]!.metrics.false_alerts_per_device_day, null, "10 minutes: no rate");
});

Deno.test("deno task evaluate --hard-cases evaluates the rebuilt heat-ups with the models' rule floors as the budget rule", async () => {
  const { code, out, json } = await evaluate(() => ["--hard-cases"]);
  assert.equal(code, 0);
  assert.match(out, /12 recordings in models\/evaluate\/hard_cases\.ts/);
  for (const device of ["pi4-0946v-1", "gaming-pc-2", "bench-pauses-3", "pi3bplus-creep-1"]) {
    assert.match(out, new RegExp(`^${device} \\(\\d+(\\.\\d+)? °C\\)`, "m"));
  }
  const budget = json!.budget_rule as { chosen_on: string; thresholds: Record<string, number> };
  assert.match(budget.chosen_on, /the models' rule floors/);
  assert.deepEqual(Object.keys(budget.thresholds).sort(), ["pc", "raspberry"]);
});

Deno.test("deno task evaluate says what is wrong with its flags or the traces folder", async (t) => {
  await t.step("a budget threshold for an unknown profile", async () => {
    const { code, err } = await evaluate(() => ["--traces", "x", "--budget-thresholds", "gpu=0.9"]);
    assert.equal(code, 2);
    assert.match(err, /--budget-thresholds names profiles \(pc, raspberry\), got 'gpu=0\.9'/);
  });
  await t.step("a hot limit that is not a number", async () => {
    const { code, err } = await evaluate(() => ["--hot-limits", "pc1=hot"]);
    assert.equal(code, 2);
    assert.match(err, /--hot-limits: 'pc1=hot' must be name=number with the number from 30 to 130/);
  });
  await t.step("--traces with --test-jsonl", async () => {
    const { code, err } = await evaluate(() => ["--traces", "x", "--test-jsonl", "y.jsonl"]);
    assert.equal(code, 2);
    assert.match(err, /--traces and --hard-cases replace --test-jsonl and --later/);
  });
  await t.step("--traces with --hard-cases", async () => {
    const { code, err } = await evaluate(() => ["--traces", "x", "--hard-cases"]);
    assert.equal(code, 2);
    assert.match(err, /--traces and --hard-cases evaluate different recordings: give one of them/);
  });
  await t.step("a traces folder that is not there", async () => {
    const { code, err } = await evaluate(() => ["--traces", "/nonexistent/traces"]);
    assert.equal(code, 1);
    assert.match(err, /Cannot read traces: \/nonexistent\/traces is not a folder/);
  });
});
