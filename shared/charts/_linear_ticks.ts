/** A value axis: a domain widened to round numbers, its ticks, and the decimals their labels need. */
export interface LinearTicks {
  domain: [number, number];
  ticks: number[];
  decimals: number;
}

/**
 * Round ticks for a value range, about `count` of them, at 1, 2 or 5 times a
 * power of ten (the rule of d3-array's `ticks`), with the domain widened to
 * the ticks around it. An empty range is widened by one on each side.
 */
export function linearTicks(min: number, max: number, count: number): LinearTicks {
  if (min === max) [min, max] = [min - 1, max + 1];
  const step = tickStep(min, max, count);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const round = (i: number) => Number((i * step).toFixed(decimals));
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => round(first + i));
  return { domain: [round(first), round(last)], ticks, decimals };
}

function tickStep(min: number, max: number, count: number): number {
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  if (error >= Math.sqrt(50)) return power * 10;
  if (error >= Math.sqrt(10)) return power * 5;
  if (error >= Math.sqrt(2)) return power * 2;
  return power;
}
