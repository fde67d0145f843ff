import assert from "node:assert/strict";
import { type ChartOptions, type ChartPoint, layoutChart } from "./layout_chart.ts";
import { renderChartSvg } from "./render_chart_svg.ts";

const MINUTE = 60_000;
const START = Date.parse("2024-03-10T12:00:00Z");
const OPTIONS: ChartOptions = { title: "pc1 · CPU package", unit: "°C", timeZone: "UTC" };

/** `count` points a minute apart from START, value 40 + i / 2 unless `valueAt` says otherwise. */
function minutes(
  count: number,
  valueAt: (i: number) => number | null = (i) => 40 + i / 2,
): ChartPoint[] {
  return Array.from({ length: count }, (_, i) => ({ time: START + i * MINUTE, value: valueAt(i) }));
}

/** The subpaths of the series line as [x, y] lists. */
function linePoints(svg: string): [number, number][][] {
  const d = svg.match(/class="series-line" d="([^"]+)"/)?.[1];
  if (!d) return [];
  return d.split("M").filter(Boolean).map((run) =>
    run.split("L").map((pair) => pair.trim().split(" ").map(Number) as [number, number])
  );
}

function attributes(svg: string, className: string, name: string): number[] {
  return [...svg.matchAll(new RegExp(`class="${className}"[^>]*?${name}="([^"]+)"`, "g"))]
    .map((m) => Number(m[1]));
}

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 0.051, `${what}: ${actual} vs ${expected}`);

Deno.test("renderChartSvg() draws each point at x from its time and y from its value, through the layout's scales", () => {
  const series = minutes(60);
  const svg = renderChartSvg(series, OPTIONS);
  const layout = layoutChart(series, OPTIONS);
  const [run, ...more] = linePoints(svg);
  assert.equal(more.length, 0, "one unbroken line");
  assert.equal(run.length, 60);
  run.forEach(([x, y], i) => {
    const point = series[i] as { time: number; value: number };
    close(x, layout.x(point.time), `x of point ${i}`);
    close(y, layout.y(point.value), `y of point ${i}`);
  });
  // The scales themselves: the first and last point at the plot's edges, equal
  // steps in time at equal distances, higher values higher up.
  close(run[0][0], layout.plot.left, "first x");
  close(run[59][0], layout.plot.right, "last x");
  const step = (run[59][0] - run[0][0]) / 59;
  run.forEach(([x], i) => close(x, run[0][0] + i * step, `even spacing at ${i}`));
  for (let i = 1; i < 60; i++) assert.ok(run[i][1] < run[i - 1][1], `y falls as the value rises`);
  close(layout.y(layout.yDomain[0]), layout.plot.bottom, "lowest tick at the bottom");
  close(layout.y(layout.yDomain[1]), layout.plot.top, "highest tick at the top");
  assert.ok(layout.yDomain[0] <= 40 && layout.yDomain[1] >= 69.5, `${layout.yDomain}`);
});

Deno.test("renderChartSvg() breaks the line at missing points and at null values", async (t) => {
  await t.step("a hole of 10 minutes in a one-minute series, and a null", () => {
    const series = minutes(60, (i) => i === 45 ? null : 50).filter((p) =>
      p.time < START + 20 * MINUTE || p.time >= START + 30 * MINUTE
    );
    const runs = linePoints(renderChartSvg(series, OPTIONS));
    assert.deepEqual(runs.map((run) => run.length), [20, 15, 14]);
    const layout = layoutChart(series, OPTIONS);
    close(runs[0].at(-1)![0], layout.x(START + 19 * MINUTE), "first run ends at 12:19");
    close(runs[1][0][0], layout.x(START + 30 * MINUTE), "second run starts at 12:30");
    close(runs[2][0][0], layout.x(START + 46 * MINUTE), "third run starts after the null");
  });
  await t.step("a step of 3 median steps is joined, a longer one is not", () => {
    const times = [0, 1, 2, 3, 6, 7, 8, 12, 13, 14];
    const series = times.map((m) => ({ time: START + m * MINUTE, value: 50 }));
    assert.deepEqual(linePoints(renderChartSvg(series, OPTIONS)).map((run) => run.length), [7, 3]);
  });
  await t.step("a point alone between gaps is a dot", () => {
    const series = minutes(30, (i) => i === 10 ? 55 : i < 9 || i > 11 ? 50 : null);
    const svg = renderChartSvg(series, OPTIONS);
    assert.deepEqual(linePoints(svg).map((run) => run.length), [9, 18]);
    const layout = layoutChart(series, OPTIONS);
    close(attributes(svg, "series-point", "cx")[0], layout.x(START + 10 * MINUTE), "dot x");
    close(attributes(svg, "series-point", "cy")[0], layout.y(55), "dot y");
  });
});

Deno.test("renderChartSvg() draws min to max as a band around the mean line", () => {
  const series: ChartPoint[] = Array.from({ length: 10 }, (_, i) => ({
    time: START + i * 5 * MINUTE,
    min: 40,
    mean: 45,
    max: 52,
  }));
  const svg = renderChartSvg(series, OPTIONS);
  const layout = layoutChart(series, OPTIONS);
  linePoints(svg)[0].forEach(([, y]) => close(y, layout.y(45), "line at the mean"));
  const band = svg.match(/class="series-band" d="([^"]+)"/)?.[1] ?? "";
  const ys = band.replace(/[MLZ]/g, " ").trim().split(/\s+/).map(Number).filter((_, i) =>
    i % 2 === 1
  );
  assert.equal(ys.length, 20, "upper edge forward, lower edge back");
  ys.slice(0, 10).forEach((y) => close(y, layout.y(52), "upper edge at max"));
  ys.slice(10).forEach((y) => close(y, layout.y(40), "lower edge at min"));
  assert.ok(layout.yDomain[0] <= 40 && layout.yDomain[1] >= 52);
});

Deno.test("renderChartSvg() draws the hot limit as a line inside the value axis, labelled", () => {
  const series = minutes(30);
  const svg = renderChartSvg(series, { ...OPTIONS, hotLimit: 90 });
  const layout = layoutChart(series, { ...OPTIONS, hotLimit: 90 });
  assert.ok(layout.yDomain[1] >= 90, "the axis reaches the limit though the values stay below");
  const limit = svg.match(/<g class="hot-limit"[^>]*><line ([^>]+)\/>/)?.[1] ?? "";
  const y1 = Number(limit.match(/y1="([^"]+)"/)?.[1]);
  close(y1, layout.y(90), "limit line y");
  assert.match(svg, />limit 90 °C</);
  assert.doesNotMatch(renderChartSvg(series, OPTIONS), /hot-limit/, "no limit, no line");
});

Deno.test("renderChartSvg() marks alerts at their time, and only those inside the time axis", () => {
  const series = minutes(60);
  const alerts = [START + 15 * MINUTE, START + 42 * MINUTE, START - 5 * MINUTE];
  const svg = renderChartSvg(series, { ...OPTIONS, alerts });
  const layout = layoutChart(series, OPTIONS);
  const marks = attributes(svg, "alert-mark", "data-time");
  assert.deepEqual(marks, alerts.slice(0, 2));
  const xs = [...svg.matchAll(/<g class="alert-mark"[^>]*><line x1="([^"]+)"/g)].map((m) =>
    Number(m[1])
  );
  xs.forEach((x, i) => close(x, layout.x(alerts[i]), `alert ${i} x`));
});

Deno.test("renderChartSvg() labels the time axis in the given time zone", () => {
  const series = minutes(121);
  const labels = (timeZone: string) =>
    [
      ...renderChartSvg(series, { ...OPTIONS, timeZone }).matchAll(
        /<g class="time-tick" data-time="(\d+)">.*?<text[^>]*>([^<]+)<\/text>/g,
      ),
    ].map((m) => [Number(m[1]), m[2]] as const);
  const berlin = labels("Europe/Berlin");
  const newYork = labels("America/New_York");
  assert.deepEqual(berlin.find(([, label]) => label === "13:00")?.[0], START);
  assert.deepEqual(newYork.find(([, label]) => label === "08:00")?.[0], START);
  assert.match(renderChartSvg(series, { ...OPTIONS, timeZone: "Europe/Berlin" }), /Europe\/Berlin/);
});

Deno.test("renderChartSvg() escapes the title and the unit", () => {
  const svg = renderChartSvg(minutes(3), {
    ...OPTIONS,
    title: `<script>alert("x")</script> & co`,
    unit: "<b>",
  });
  assert.doesNotMatch(svg, /<script>|<b>/);
  assert.match(svg, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62; &#38; co/);
});

Deno.test("renderChartSvg() says there is no data, and draws no line, for an empty period", () => {
  const svg = renderChartSvg([], {
    ...OPTIONS,
    from: START,
    to: START + 60 * MINUTE,
    hotLimit: 80,
  });
  assert.match(svg, /no data in this period/);
  assert.doesNotMatch(svg, /series-line|series-point/);
  assert.match(svg, /class="time-tick"/, "the time axis is still drawn");
  const nothing = renderChartSvg([{ time: START, value: null }], OPTIONS);
  assert.match(nothing, /no data in this period/);
});

Deno.test("renderChartSvg() sorts points given out of order", () => {
  const series = minutes(10);
  assert.equal(renderChartSvg(series.toReversed(), OPTIONS), renderChartSvg(series, OPTIONS));
});

Deno.test("layoutChart() refuses bad options with an error that names them", async (t) => {
  const cases: [string, Partial<ChartOptions>, ChartPoint[], RegExp][] = [
    ["width", { width: 50 }, [], /'width' must be a whole number from 200 to 4000, got 50/],
    ["height", { height: 300.5 }, [], /'height' must be a whole number .* got 300.5/],
    [
      "time zone",
      { timeZone: "Mars/Olympus" },
      [],
      /'timeZone' must be an IANA .* 'Mars\/Olympus'/,
    ],
    ["from after to", { from: START + 1, to: START }, [], /'from' .* must be before 'to'/],
    ["hot limit", { hotLimit: Number.NaN }, [], /'hotLimit' must be a number/],
    ["point time", {}, [{ time: Number.NaN, value: 1 }], /point 0 has no valid 'time'/],
  ];
  for (const [name, options, series, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => layoutChart(series, { ...OPTIONS, ...options }), RangeError);
      assert.throws(() => renderChartSvg(series, { ...OPTIONS, ...options }), message);
    });
  }
});
