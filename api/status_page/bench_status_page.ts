/**
 * `deno task bench:status-page`: what one open status page costs the
 * service. 50 devices (a full page) with an hour of readings every 5 s in an
 * in-memory Deno KV store; the view is rendered once cold (every device's
 * hour read) and then 20 times warm, each after 15 s of new readings (3 per
 * device), as the page refreshes. Prints p50 and p99 of each, the view's
 * size plain and gzipped, and the readings read per refresh.
 */
import { aScored } from "../../testing/a_prediction.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { createStatusPageApp } from "./create_status_page_app.tsx";

const DEVICES = 50;
const INTERVAL_S = 5;
const REFRESHES = 20;
const COLD_RUNS = 5;

const start = Date.parse("2026-01-31T11:00:00.000Z");
let now = start + 3_600_000;
await using store = await aStoreWith();
const firsts = Array.from({ length: DEVICES }, (_, d) =>
  aPcReading({
    device: `pc${String(d).padStart(2, "0")}`,
    timestamp: new Date(start).toISOString(),
  }));
const temperature = (d: number, i: number) =>
  Math.round((55 + 20 * Math.sin((i + d * 7) / 40) + 3 * Math.sin(i * 1.7)) * 10) / 10;
let sent = 3_600 / INTERVAL_S;
for (const [d, first] of firsts.entries()) {
  const readings = Array.from(
    { length: sent },
    (_, i) => later(first, i * INTERVAL_S, { TemperatureCPUPackage: temperature(d, i) }),
  );
  for (let i = 0; i < readings.length; i += 500) {
    await store.saveScored(readings.slice(i, i + 500).map((r) => aScored(r)));
  }
}

let readingsRead = 0;
const counted = {
  ...store,
  listReadings: async (...args: Parameters<typeof store.listReadings>) => {
    const page = await store.listReadings(...args);
    readingsRead += page.items.length;
    return page;
  },
};

async function render(app: ReturnType<typeof createStatusPageApp>) {
  readingsRead = 0;
  const began = performance.now();
  const html = await (await app.request("/status-page/view")).text();
  return { ms: performance.now() - began, html, read: readingsRead };
}

const pct = (values: number[], p: number) => {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const gzipped = async (text: string) =>
  (await new Response(
    new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer()).byteLength;

const cold: number[] = [];
let coldRead = 0;
for (let run = 0; run < COLD_RUNS; run++) {
  const result = await render(createStatusPageApp({ store: counted, clock: { now: () => now } }));
  cold.push(result.ms);
  coldRead = result.read;
}

const app = createStatusPageApp({ store: counted, clock: { now: () => now } });
await render(app);
const warm: number[] = [];
let last = { html: "", read: 0 };
for (let refresh = 0; refresh < REFRESHES; refresh++) {
  const fresh = firsts.flatMap((first, d) =>
    [0, 1, 2].map((k) =>
      aScored(
        later(first, (sent + k) * INTERVAL_S, { TemperatureCPUPackage: temperature(d, sent + k) }),
      )
    )
  );
  sent += 3;
  await store.saveScored(fresh);
  now += 15_000;
  const result = await render(app);
  warm.push(result.ms);
  last = result;
}

const row = (name: string, values: number[], read: number) =>
  `| ${name.padEnd(34)} | ${pct(values, 50).toFixed(0).padStart(6)} | ${
    pct(values, 99).toFixed(0).padStart(6)
  } | ${String(read).padStart(13)} |`;
console.log(`${DEVICES} devices, a reading every ${INTERVAL_S} s, an hour in the store\n`);
console.log(`| ${"view".padEnd(34)} | p50 ms | p99 ms | readings read |`);
console.log(`| ${"-".repeat(34)} | -----: | -----: | ------------: |`);
console.log(row(`cold (${COLD_RUNS} runs, every hour read)`, cold, coldRead));
console.log(row(`refresh after 15 s (${REFRESHES} runs)`, warm, last.read));
console.log(
  `\nview size: ${last.html.length.toLocaleString("en")} bytes, ${
    (await gzipped(last.html)).toLocaleString("en")
  } gzipped`,
);
