import {
  type ChartLayout,
  type ChartOptions,
  type ChartPoint,
  LABEL_CHAR_WIDTH,
  LABEL_FONT,
  layoutChart,
  type PlotPoint,
} from "./layout_chart.ts";

/** The colours of a chart, for pages that style around it and for tests. */
export const CHART_COLORS = {
  background: "#ffffff",
  text: "#1f2328",
  muted: "#6b7280",
  grid: "#e5e7eb",
  axis: "#9ca3af",
  line: "#2563eb",
  band: "#2563eb",
  hotLimit: "#dc2626",
  alert: "#f59e0b",
} as const;

/** The font the PNG renderer ships; browsers fall back to their own sans-serif. */
export const CHART_FONT_FAMILY = "DejaVu Sans";

const FONT = `${CHART_FONT_FAMILY}, Verdana, sans-serif`;

/**
 * A time-series chart as an SVG document: title and unit, the latest value,
 * a value axis with grid lines, a time axis labelled in `options.timeZone`,
 * the series as a line (min-max as a band), gaps as gaps, the hot limit as a
 * dashed line and alerts as marks. Elements carry classes (`series-line`,
 * `series-band`, `series-point`, `hot-limit`, `alert-mark`, `time-tick`,
 * `value-tick`) for pages and tests.
 */
export function renderChartSvg(series: readonly ChartPoint[], options: ChartOptions): string {
  const layout = layoutChart(series, options);
  const { width, height } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="${FONT}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="${CHART_COLORS.background}"/>`,
    header(layout, options),
    valueAxis(layout),
    timeAxis(layout),
    band(layout),
    hotLimit(layout, options.unit),
    line(layout),
    alertMarks(layout),
    layout.segments.length === 0 ? noData(layout) : "",
    "</svg>",
  ].filter((part) => part !== "").join("\n");
}

function header(layout: ChartLayout, options: ChartOptions): string {
  const { plot } = layout;
  const parts = [
    `<text x="${plot.left}" y="20" font-size="15" fill="${CHART_COLORS.text}">${
      escapeXml(options.title)
    }</text>`,
    `<text x="${plot.left}" y="36" font-size="${LABEL_FONT}" fill="${CHART_COLORS.muted}">${
      escapeXml(`${options.unit} · times in ${options.timeZone}`)
    }</text>`,
  ];
  if (layout.latest) {
    parts.push(
      `<text class="latest" x="${plot.right}" y="20" font-size="15" text-anchor="end" fill="${CHART_COLORS.line}">${
        escapeXml(`${formatValue(layout.latest.value, layout)} ${options.unit}`)
      }</text>`,
    );
  }
  return parts.join("\n");
}

function valueAxis(layout: ChartLayout): string {
  const { plot } = layout;
  return layout.yTicks.map(({ value, label }) => {
    const y = px(layout.y(value));
    return `<g class="value-tick" data-value="${value}">` +
      `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${CHART_COLORS.grid}"/>` +
      `<text x="${plot.left - 6}" y="${
        px(y + 4)
      }" font-size="${LABEL_FONT}" text-anchor="end" fill="${CHART_COLORS.muted}">${label}</text></g>`;
  }).join("\n");
}

function timeAxis(layout: ChartLayout): string {
  const { plot } = layout;
  const axis =
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${CHART_COLORS.axis}"/>`;
  const ticks = layout.timeTicks.map((tick) => {
    const x = px(layout.x(tick.time));
    const date = tick.date
      ? `<text x="${x}" y="${plot.bottom + 29}" font-size="${LABEL_FONT}" text-anchor="${
        anchorFor(x, tick.date, layout.width)
      }" fill="${CHART_COLORS.muted}">${escapeXml(tick.date)}</text>`
      : "";
    return `<g class="time-tick" data-time="${tick.time}">` +
      `<line x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${
        plot.bottom + 4
      }" stroke="${CHART_COLORS.axis}"/>` +
      `<text x="${x}" y="${plot.bottom + 16}" font-size="${LABEL_FONT}" text-anchor="${
        anchorFor(x, tick.label, layout.width)
      }" fill="${CHART_COLORS.text}">${escapeXml(tick.label)}</text>${date}</g>`;
  });
  return [axis, ...ticks].join("\n");
}

function band(layout: ChartLayout): string {
  const runs = layout.segments.filter((run) => run.some((p) => p.low !== p.high));
  if (runs.length === 0) return "";
  const d = runs.map((run) => {
    const upper = run.map((p, i) => `${i === 0 ? "M" : "L"}${point(layout, p.time, p.high)}`);
    const lower = run.toReversed().map((p) => `L${point(layout, p.time, p.low)}`);
    return `${upper.join("")}${lower.join("")}Z`;
  }).join("");
  return `<path class="series-band" d="${d}" fill="${CHART_COLORS.band}" fill-opacity="0.18" stroke="none"/>`;
}

function hotLimit(layout: ChartLayout, unit: string): string {
  if (layout.hotLimit === null) return "";
  const { plot } = layout;
  const y = px(layout.y(layout.hotLimit));
  return `<g class="hot-limit" data-value="${layout.hotLimit}">` +
    `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${CHART_COLORS.hotLimit}" stroke-width="2" stroke-dasharray="6 4"/>` +
    `<text x="${plot.right - 4}" y="${
      px(y - 5)
    }" font-size="${LABEL_FONT}" text-anchor="end" fill="${CHART_COLORS.hotLimit}">${
      escapeXml(`limit ${layout.hotLimit} ${unit}`)
    }</text></g>`;
}

function line(layout: ChartLayout): string {
  const runs = layout.segments.filter((run) => run.length > 1);
  const dots = layout.segments.filter((run) => run.length === 1).map(([p]) =>
    `<circle class="series-point" cx="${px(layout.x(p.time))}" cy="${
      px(layout.y(p.value))
    }" r="2.5" fill="${CHART_COLORS.line}"/>`
  );
  const d = runs.map((run) => pathOf(layout, run)).join("");
  const path = d === ""
    ? ""
    : `<path class="series-line" d="${d}" fill="none" stroke="${CHART_COLORS.line}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`;
  return [path, ...dots].filter((part) => part !== "").join("\n");
}

function pathOf(layout: ChartLayout, run: PlotPoint[]): string {
  return run.map((p, i) => `${i === 0 ? "M" : "L"}${point(layout, p.time, p.value)}`).join("");
}

function alertMarks(layout: ChartLayout): string {
  const { plot } = layout;
  return layout.alerts.map((time) => {
    const x = px(layout.x(time));
    return `<g class="alert-mark" data-time="${time}">` +
      `<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="${CHART_COLORS.alert}" stroke-width="2"/>` +
      `<path d="M${px(x - 5)} ${plot.top - 8}L${px(x + 5)} ${
        plot.top - 8
      }L${x} ${plot.top}Z" fill="${CHART_COLORS.alert}"/></g>`;
  }).join("\n");
}

function noData(layout: ChartLayout): string {
  const { plot } = layout;
  return `<text class="no-data" x="${px((plot.left + plot.right) / 2)}" y="${
    px((plot.top + plot.bottom) / 2)
  }" font-size="14" text-anchor="middle" fill="${CHART_COLORS.muted}">no data in this period</text>`;
}

function point(layout: ChartLayout, time: number, value: number): string {
  return `${px(layout.x(time))} ${px(layout.y(value))}`;
}

/** A pixel coordinate with one decimal: finer than a pixel, short in a 1,440-point path. */
function px(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The latest value: one decimal more than the axis labels, at least one. */
function formatValue(value: number, layout: ChartLayout): string {
  const tickDecimals = layout.yTicks[0]?.label.split(".")[1]?.length ?? 0;
  return value.toFixed(Math.max(1, tickDecimals + 1));
}

/** Centred under its tick, or kept inside the picture at the edges. */
function anchorFor(x: number, label: string, width: number): "start" | "middle" | "end" {
  const half = (label.length * LABEL_CHAR_WIDTH) / 2;
  if (x - half < 0) return "start";
  if (x + half > width) return "end";
  return "middle";
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
