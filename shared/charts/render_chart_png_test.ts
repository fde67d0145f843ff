import assert from "node:assert/strict";
import { type DecodedPng, decodePng } from "../../testing/decode_png.ts";
import { type ChartOptions, type ChartPoint, layoutChart } from "./layout_chart.ts";
import { renderChartPng } from "./render_chart_png.ts";
import { CHART_COLORS } from "./render_chart_svg.ts";

const MINUTE = 60_000;
const START = Date.parse("2024-03-10T12:00:00Z");
const OPTIONS: ChartOptions = {
  title: "pc1 · CPU package",
  unit: "°C",
  timeZone: "Europe/Berlin",
  hotLimit: 90,
  alerts: [START + 40 * MINUTE],
};
const SERIES: ChartPoint[] = Array.from({ length: 60 }, (_, i) => ({
  time: START + i * MINUTE,
  value: 50 + 20 * Math.sin(i / 9),
}));

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Pixels within `tolerance` of a colour, optionally inside a box [x0, y0, x1, y1). */
function count(
  png: DecodedPng,
  hex: string,
  box = [0, 0, png.width, png.height],
  tolerance = 2,
): number {
  const [r, g, b] = rgb(hex);
  let n = 0;
  for (let y = box[1]; y < box[3]; y++) {
    for (let x = box[0]; x < box[2]; x++) {
      const at = (y * png.width + x) * 4;
      const p = png.rgba;
      if (
        Math.abs(p[at] - r) <= tolerance && Math.abs(p[at + 1] - g) <= tolerance &&
        Math.abs(p[at + 2] - b) <= tolerance
      ) n++;
    }
  }
  return n;
}

function distinctColours(png: DecodedPng): number {
  const seen = new Set<number>();
  const view = new DataView(png.rgba.buffer, png.rgba.byteOffset, png.rgba.byteLength);
  for (let at = 0; at < png.rgba.length; at += 4) seen.add(view.getUint32(at));
  return seen.size;
}

// First in this file: the WebAssembly is not started yet, and three renders ask for it at once.
Deno.test("renderChartPng() starts resvg once when the first renders come together", async () => {
  const pngs = await Promise.all([1, 2, 3].map(() => renderChartPng(SERIES, OPTIONS)));
  assert.deepEqual(pngs[1], pngs[0]);
  assert.deepEqual(pngs[2], pngs[0]);
});

Deno.test("renderChartPng() gives a PNG of the chart's size with the line, the limit and text drawn", () => {
  return renderChartPng(SERIES, OPTIONS).then((bytes) => {
    const png = decodePng(bytes);
    assert.equal(png.width, 720);
    assert.equal(png.height, 360);
    assert.ok(distinctColours(png) >= 20, `${distinctColours(png)} colours: not blank`);
    assert.ok(count(png, CHART_COLORS.background) > png.width * png.height / 2, "white ground");
    assert.ok(count(png, CHART_COLORS.line) > 300, `line: ${count(png, CHART_COLORS.line)} px`);
    assert.ok(count(png, CHART_COLORS.hotLimit) > 100, "hot limit line");
    assert.ok(count(png, CHART_COLORS.alert) > 50, "alert mark");
    // The title is text: the shipped font drew dark glyph pixels where it stands.
    const { plot } = layoutChart(SERIES, OPTIONS);
    const title = [plot.left, 4, plot.left + 160, 26];
    assert.ok(count(png, CHART_COLORS.text, title, 40) > 40, "title glyphs");
  });
});

Deno.test("renderChartPng() draws the line where the layout puts it", async () => {
  const flat: ChartPoint[] = SERIES.map((p) => ({ time: p.time, value: 60 }));
  const png = decodePng(await renderChartPng(flat, OPTIONS));
  const layout = layoutChart(flat, OPTIONS);
  const y = Math.round(layout.y(60));
  const row = [layout.plot.left + 10, y - 2, layout.plot.right - 10, y + 2];
  const width = row[2] - row[0];
  assert.ok(count(png, CHART_COLORS.line, row) >= width, "a blue line along y(60)");
  const above = [row[0], y - 30, row[2], y - 10];
  assert.equal(count(png, CHART_COLORS.line, above), 0, "nothing blue above it");
});

Deno.test("renderChartPng() scales the picture: 2 gives 1440 × 720 for the default size", async () => {
  const png = decodePng(await renderChartPng(SERIES, { ...OPTIONS, scale: 2 }));
  assert.deepEqual([png.width, png.height], [1440, 720]);
  const small = decodePng(await renderChartPng(SERIES, { ...OPTIONS, width: 400, height: 240 }));
  assert.deepEqual([small.width, small.height], [400, 240]);
});

Deno.test("renderChartPng() refuses a scale out of range and bad chart options alike", async () => {
  await assert.rejects(
    () => renderChartPng(SERIES, { ...OPTIONS, scale: 10 }),
    /'scale' must be from 0.5 to 4, got 10/,
  );
  await assert.rejects(
    () => renderChartPng(SERIES, { ...OPTIONS, timeZone: "Nowhere/Land" }),
    /'timeZone' must be an IANA time zone/,
  );
});
