import { z } from "zod";

/**
 * Number schemas for physical quantities, each with the range a real sensor
 * can report. Values outside are what the old system stored when a decimal
 * point got lost (a CPU at 837 °C, a core at 9084 V), so they are rejected.
 */
function quantity(unit: string, min: number, max: number, options: { int?: boolean } = {}) {
  const base = z.number({
    error: (issue) =>
      issue.input === undefined
        ? "is required"
        : `must be a finite number of ${unit}, got ${describe(issue.input)}`,
  });
  const checked = (options.int ? base.int({ error: `must be a whole number of ${unit}` }) : base)
    .min(min, {
      error: (issue) => `${issue.input} ${unit} is below the physical minimum ${min} ${unit}`,
    })
    .max(max, {
      error: (issue) => `${issue.input} ${unit} is above the physical maximum ${max} ${unit}`,
    });
  return checked.meta({ description: `${unit}, ${min} to ${max}` });
}

function describe(input: unknown): string {
  if (typeof input === "number") return String(input);
  if (typeof input === "string") return `the string '${input.slice(0, 20)}'`;
  return input === null ? "null" : typeof input;
}

/** Degrees Celsius: -40 (a Pi in a frozen shed) to 150 (past any junction limit). */
export const celsius = () => quantity("°C", -40, 150);
/** Percent load, 0 to 100. */
export const percent = () => quantity("%", 0, 100);
/** CPU clock in MHz, 0 to 10,000. */
export const megahertz = () => quantity("MHz", 0, 10_000);
/** Clock in Hz (Raspberry Pi `measure_clock`), 0 to 10 GHz. */
export const hertz = () => quantity("Hz", 0, 10_000_000_000);
/** Package power in watts, 0 to 1,000. */
export const watts = () => quantity("W", 0, 1_000);
/** Supply voltages in volts, 0 to 5. */
export const volts = () => quantity("V", 0, 5);
/** Memory sizes in bytes, up to 16 TiB. */
export const bytes = () => quantity("bytes", 0, 2 ** 44, { int: true });
/** Fan speed in revolutions per minute, 0 to 30,000. */
export const rpm = () => quantity("RPM", 0, 30_000);
/** Seconds, 0 to one year. */
export const seconds = () => quantity("s", 0, 31_536_000);
