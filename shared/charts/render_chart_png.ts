import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { dejavuSans, resvgWasm } from "./resvg_assets.ts";
import type { ChartOptions, ChartPoint } from "./layout_chart.ts";
import { CHART_COLORS, CHART_FONT_FAMILY, renderChartSvg } from "./render_chart_svg.ts";

export interface PngOptions extends ChartOptions {
  /** Pixels per CSS pixel: 2 gives a 1440 × 720 PNG for the default size, sharp on a phone. Default 1. */
  scale?: number;
}

let ready: Promise<void> | null = null;

/** Compiles resvg's WebAssembly on the first call only; a failed start is tried again next time. */
function startResvg(): Promise<void> {
  ready ??= initWasm(resvgWasm).catch((error) => {
    ready = null;
    throw new Error(`Cannot start the PNG renderer (resvg WebAssembly): ${error}`, {
      cause: error,
    });
  });
  return ready;
}

/**
 * The chart of {@linkcode renderChartSvg} as a PNG, rendered by resvg
 * (WebAssembly) with the DejaVu Sans font shipped in the module graph: no
 * native addon, no system font, no file read, so it runs on Deno Deploy.
 */
export async function renderChartPng(
  series: readonly ChartPoint[],
  options: PngOptions,
): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale < 0.5 || scale > 4) {
    throw new RangeError(`Cannot draw the chart: 'scale' must be from 0.5 to 4, got ${scale}`);
  }
  const svg = renderChartSvg(series, options);
  await startResvg();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: CHART_COLORS.background,
    font: {
      fontBuffers: [dejavuSans],
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
