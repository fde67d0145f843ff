/**
 * Chart figures: render time of a day at one-minute steps (1,440 points) as
 * SVG and as PNG, p50 and p99, and the PNG sizes. The first PNG render starts
 * resvg's WebAssembly and is reported on its own.
 *
 *   deno task bench:charts [--runs 100]
 *
 * Needs no permission: the wasm and the font come through the module graph.
 */
import { type ChartOptions, type ChartPoint, renderChartPng, renderChartSvg } from "./mod.ts";

const runs = runsFromArgs(Deno.args);
const MINUTE = 60_000;
const start = Date.parse("2024-03-10T00:00:00Z");

/** A PC's day: a daily swing, bursts of load, sensor noise, two gaps (a reboot, a network cut). */
function aDay(withBand: boolean): ChartPoint[] {
  let seed = 7;
  const noise = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: 1440 }, (_, i): ChartPoint | null => {
    if ((i >= 300 && i < 312) || (i >= 1000 && i < 1090)) return null;
    const base = 45 + 10 * Math.sin((i / 1440) * 2 * Math.PI) + (i % 240 < 30 ? 25 : 0);
    const value = base + 2 * noise();
    return withBand
      ? {
        time: start + i * MINUTE,
        min: value - 1 - noise(),
        mean: value,
        max: value + 1 + noise(),
      }
      : { time: start + i * MINUTE, value };
  }).filter((p): p is ChartPoint => p !== null);
}

const options: ChartOptions = {
  title: "pc1 · CPU package temperature, 24 h",
  unit: "°C",
  timeZone: "Europe/Berlin",
  hotLimit: 90,
  alerts: [start + 245 * MINUTE, start + 725 * MINUTE],
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(run: () => unknown): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const begin = performance.now();
    await run();
    times.push(performance.now() - begin);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function runsFromArgs(args: string[]): number {
  const at = args.indexOf("--runs");
  if (at === -1) return 100;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 10) {
    console.error(`--runs must be a whole number of at least 10, got '${args[at + 1]}'`);
    Deno.exit(2);
  }
  return value;
}

const line = aDay(false);
const band = aDay(true);
const firstBegin = performance.now();
await renderChartPng(line, options);
const first = performance.now() - firstBegin;

const cases: [string, () => unknown, () => Promise<number>][] = [
  ["SVG, value line", () => renderChartSvg(line, options), () => Promise.resolve(0)],
  [
    "PNG 720×360, value line",
    () => renderChartPng(line, options),
    async () => (await renderChartPng(line, options)).length,
  ],
  [
    "PNG 720×360, min/mean/max band",
    () => renderChartPng(band, options),
    async () => (await renderChartPng(band, options)).length,
  ],
  [
    "PNG 1440×720 (scale 2), value line",
    () => renderChartPng(line, { ...options, scale: 2 }),
    async () => (await renderChartPng(line, { ...options, scale: 2 })).length,
  ],
];

console.log(
  `Charts: a day at one-minute steps (${line.length} points drawn of 1,440, two gaps), ${runs} runs each`,
);
console.log(`first PNG render, starting resvg's WebAssembly: ${first.toFixed(1)} ms`);
console.log("| case | p50 ms | p99 ms | PNG bytes |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, run, size] of cases) {
  const { p50, p99 } = await measure(run);
  const bytes = await size();
  console.log(
    `| ${name} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${
      bytes ? bytes.toLocaleString("en") : ""
    } |`,
  );
}
