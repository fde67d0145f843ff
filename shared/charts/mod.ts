/**
 * Time-series charts for the bot (PNG) and the status page (SVG): one layout,
 * two renderers. See README.md.
 */
export {
  CHART_DEFAULTS,
  type ChartLayout,
  type ChartOptions,
  type ChartPoint,
  GAP_STEPS,
  layoutChart,
  type PlotPoint,
} from "./layout_chart.ts";
export { CHART_COLORS, CHART_FONT_FAMILY, renderChartSvg } from "./render_chart_svg.ts";
export { type PngOptions, renderChartPng } from "./render_chart_png.ts";
export type { TimeTick } from "./_time_ticks.ts";
