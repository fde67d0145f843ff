/**
 * Straight-line forecasts of a temperature toward its hot limit, used as
 * features (see features.ts). Pure functions of headroom (limit minus
 * temperature, °C) and slope (°C/min).
 */

/** Time to the hot limit is capped here, s: "not in sight" (three horizons). */
export const TIME_TO_LIMIT_CAP_S = 180;
/**
 * Headroom below the hot limit is clipped here, °C: for a one-minute forecast
 * 20 °C and 40 °C below the limit are alike, and clipping lets a linear model
 * be steep where it matters, near the limit.
 */
export const HEADROOM_CAP_C = 20;

/**
 * °C below the hot limit the temperature would be one horizon from now if
 * it kept its slope, clipped to [-HEADROOM_CAP_C, HEADROOM_CAP_C]: the
 * straight-line forecast, which a linear model cannot form itself from
 * clipped headroom and slope.
 */
export function projectedHeadroom(
  headroomC: number,
  slopeCPerMin: number,
  horizonS: number,
): number {
  const projected = headroomC - slopeCPerMin * (horizonS / 60);
  return Math.max(-HEADROOM_CAP_C, Math.min(HEADROOM_CAP_C, projected));
}

/** °C over which {@linkcode closeness} falls by a factor e. */
export const CLOSENESS_SCALE_C = 3;

/**
 * exp(-headroom / 3 °C), 1 at or past the limit: steep near the limit and flat
 * far from it, as the odds of reaching the limit within a minute are. With it
 * a linear model can be sure at 1 °C below and indifferent between 15 and 20.
 */
export function closeness(headroomC: number): number {
  return Math.exp(-Math.max(0, headroomC) / CLOSENESS_SCALE_C);
}

/** Seconds until the hot limit at the current slope, 0 when there, capped when not in sight. */
export function timeToLimit(headroomC: number, slopeCPerMin: number): number {
  if (Number.isNaN(headroomC)) return NaN;
  if (headroomC <= 0) return 0;
  if (!(slopeCPerMin > 0)) return TIME_TO_LIMIT_CAP_S;
  return Math.min(TIME_TO_LIMIT_CAP_S, (headroomC / slopeCPerMin) * 60);
}

/**
 * Time constant of a typical heat sink, s (PC coolers 1-4 min, a Pi's board
 * 1.5-5 min): the scale of the equilibrium estimate below.
 */
export const EQUILIBRIUM_TAU_S = 120;

/**
 * °C below the hot limit of the temperature the device is heading to at its
 * present power, clipped like {@linkcode projectedHeadroom}. A heat sink
 * follows its power with first-order dynamics, dT/dt = (T_eq - T) / τ, so
 * T_eq = T + τ·dT/dt: a fast rise far below the limit can settle under it, a
 * slow creep just below it may not. Fed the last half-minute's slope, which
 * reflects the present power.
 */
export function equilibriumHeadroom(headroomC: number, slopeCPerMin: number): number {
  return projectedHeadroom(headroomC, slopeCPerMin, EQUILIBRIUM_TAU_S);
}
