import {
  DEVICE_NAME,
  InvalidReadingError,
  parseReading,
  type Reading,
} from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import { readLines } from "./read_lines.ts";
import type { Refusal } from "./sequences.ts";

/** The PC CSV's target: 1 = fine, 0 = the machine needed an intervention (stressed). */
export const PC_TARGET = "NoTechnicalInterventionRequired";
/** With `assumeIntervalS`, rows without a time are placed from this time on, in file order. */
export const CSV_UNTIMED_START = Date.parse("2000-01-01T00:00:00.000Z");

export interface OldCsvOptions {
  /**
   * Seconds between rows that carry no time (no `timestamp`, no
   * `loading_datetime`): they are then taken as consecutive readings this far
   * apart, in file order. Without it such rows are refused: a made-up
   * timeline turns file order into stress onsets and lead times.
   */
  assumeIntervalS?: number;
}

export interface OldCsv {
  sequences: DeviceSequence[];
  /** Rows refused one by one, with their line numbers. */
  refused: Refusal[];
  /** Rows read. */
  rows: number;
  /** Rows refused in all: `refused` plus those a note speaks for. */
  refusedRows: number;
  /**
   * One message per cause that concerns many rows (rows without a time, a
   * column whose decimal separator was lost), instead of one per row; also
   * the warning when `assumeIntervalS` made up a timeline.
   */
  notes: string[];
}

/**
 * Reads a CSV export of the old system: `;`-separated, decimal comma, a
 * header of the old field names. PC files carry the target
 * `NoTechnicalInterventionRequired` (1 = fine), which becomes the reading's
 * "stressed" value; Pi files carry `throttled`, which the stress definition
 * reads anyway, and `loading_datetime`, which orders them. Rows without any
 * time are refused unless `assumeIntervalS` is given (see
 * {@linkcode OldCsvOptions}). The device is the `device` column, or the
 * file's name. A bad row is refused with its line number; values that look
 * like a lost decimal separator (a CPU at 8375 °C for 83.75) are refused with
 * one note per column naming the likely cause.
 */
export async function readOldCsv(path: string, options: OldCsvOptions = {}): Promise<OldCsv> {
  const { assumeIntervalS } = options;
  if (assumeIntervalS !== undefined && !(assumeIntervalS > 0 && assumeIntervalS <= 3600)) {
    throw new RangeError(
      `Cannot read ${path}: 'assumeIntervalS' must be in (0, 3600] s, got ${assumeIntervalS}`,
    );
  }
  const refused: Refusal[] = [];
  const untimed: number[] = [];
  const lostDecimals = new Map<string, LostDecimal>();
  let lostDecimalRows = 0;
  let header: string[] | null = null;
  const rows: { reading: Reading; stressed: boolean | undefined }[] = [];
  const fallbackDevice = deviceFromPath(path);
  let index = 0;
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === "") continue;
    const cells = splitRow(text);
    if (!header) {
      header = cells.map((c) => c.trim());
      if (header.length < 2) {
        throw new RangeError(`Cannot read ${path}: the header has no ';'-separated columns`);
      }
      continue;
    }
    const refuse = (error: string) => refused.push({ source: path, line, error });
    if (cells.length !== header.length) {
      refuse(`has ${cells.length} cells, the header has ${header.length}`);
      continue;
    }
    const record: Record<string, unknown> = {};
    let target: number | undefined;
    let bad = false;
    header.forEach((name, j) => {
      const cell = cells[j]!.trim();
      if (cell === "" || bad) return;
      if (name === PC_TARGET) {
        target = Number(cell.replace(",", "."));
        if (target !== 0 && target !== 1) {
          refuse(`${PC_TARGET} must be 0 or 1, got '${cell}'`);
          bad = true;
        }
        return;
      }
      record[name] = TEXT_COLUMNS.has(name) ? cell : decimal(cell);
    });
    if (bad) continue;
    if (target !== undefined) record.profile ??= "pc";
    record.device ??= fallbackDevice;
    record.uuid ??= `csv-${fallbackDevice}-${line}`;
    if (record.timestamp === undefined && record.loading_datetime === undefined) {
      if (assumeIntervalS === undefined) {
        untimed.push(line);
        continue;
      }
      record.timestamp = new Date(CSV_UNTIMED_START + index * assumeIntervalS * 1000)
        .toISOString();
      index++;
    }
    try {
      rows.push({
        reading: parseReading(record),
        stressed: target === undefined ? undefined : target === 0,
      });
    } catch (error) {
      if (!(error instanceof InvalidReadingError)) throw error;
      const lost = lostDecimalFields(record, error);
      if (lost.length === 0) {
        refuse(error.message);
        continue;
      }
      lostDecimalRows++;
      for (const { field, value, plausible } of lost) {
        const seen = lostDecimals.get(field) ?? { rows: 0, lines: [], value, plausible };
        seen.rows++;
        if (seen.lines.length < 3) seen.lines.push(line);
        lostDecimals.set(field, seen);
      }
    }
  }
  const notes: string[] = [];
  if (untimed.length > 0) {
    notes.push(
      `${path}: ${untimed.length} rows have no time (no timestamp or loading_datetime; lines ${
        lineList(untimed, untimed.length)
      }) and were refused: without a time, file order would become stress onsets and lead ` +
        `times. If the rows are consecutive readings a known interval apart, pass ` +
        `--assume-interval S`,
    );
  }
  if (assumeIntervalS !== undefined && index > 0) {
    notes.push(
      `${path}: warning: ${index} rows have no time; --assume-interval ${assumeIntervalS} ` +
        `places them ${assumeIntervalS} s apart in file order from ${
          new Date(CSV_UNTIMED_START).toISOString()
        }: onsets, leads and windows are only as right as that assumption`,
    );
  }
  for (const [field, lost] of lostDecimals) {
    notes.push(
      `${path}: column ${field}: ${lost.rows} rows refused (lines ${
        lineList(lost.lines, lost.rows)
      }) with values like ${lost.value} where ${lost.plausible} would be plausible: the ` +
        `export probably lost its decimal separator (a decimal comma dropped or read as a ` +
        `thousands separator); export again with the decimal separator kept`,
    );
  }
  const byDevice = Map.groupBy(rows, (r) => r.reading.device);
  const sequences = [...byDevice].map(([device, list]): DeviceSequence => {
    const sorted = list.map((r, order) => ({ ...r, order })).sort((a, b) =>
      Date.parse(a.reading.timestamp) - Date.parse(b.reading.timestamp) || a.order - b.order
    );
    const profile = sorted[0]!.reading.profile;
    const same = sorted.filter((r) => r.reading.profile === profile);
    return {
      device,
      profile,
      readings: same.map((r) => r.reading),
      stressed: same.map((r) => r.stressed),
    };
  });
  return {
    sequences,
    refused,
    rows: rows.length,
    refusedRows: refused.length + untimed.length + lostDecimalRows,
    notes,
  };
}

interface LostDecimal {
  rows: number;
  lines: number[];
  /** The first such value, as read. */
  value: number;
  /** It with the decimal separator put back. */
  plausible: number;
}

/**
 * The fields of a refused row whose whole-number values are out of range
 * but would be in range with a decimal separator put back (8375 -> 83.75),
 * when that alone makes the row valid; empty otherwise.
 */
function lostDecimalFields(
  record: Record<string, unknown>,
  error: InvalidReadingError,
): { field: string; value: number; plausible: number }[] {
  const fixed = { ...record };
  const found: { field: string; value: number; plausible: number }[] = [];
  let problems = error.problems;
  for (let round = 0; round < 8 && problems.length > 0; round++) {
    const field = problems[0]!.field;
    const value = fixed[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) return [];
    if (found.some((f) => f.field === field)) return [];
    const plausible = [10, 100, 1000, 10_000].map((d) => value / d).find((v) =>
      fieldAccepts(fixed, field, v)
    );
    if (plausible === undefined) return [];
    fixed[field] = plausible;
    found.push({ field, value, plausible });
    try {
      parseReading(fixed);
      return found;
    } catch (next) {
      if (!(next instanceof InvalidReadingError)) throw next;
      problems = next.problems;
    }
  }
  return [];
}

/** Whether `record` with `field` set to `value` has no problem with that field. */
function fieldAccepts(record: Record<string, unknown>, field: string, value: number): boolean {
  try {
    parseReading({ ...record, [field]: value });
    return true;
  } catch (error) {
    if (!(error instanceof InvalidReadingError)) throw error;
    return !error.problems.some((p) => p.field === field);
  }
}

/** `2, 3, 4, ...` for the first lines of `total`. */
function lineList(lines: readonly number[], total: number): string {
  const shown = lines.slice(0, 3).join(", ");
  return total > 3 ? `${shown}, ...` : shown;
}

/** Columns whose cells are text, not numbers. */
const TEXT_COLUMNS = new Set([
  "uuid",
  "device",
  "profile",
  "timestamp",
  "loading_datetime",
  "throttled",
]);

/** `1,5` -> 1.5; anything not a number stays text so the schema names the field. */
function decimal(cell: string): number | string {
  const normalised = cell.replace(/\s/g, "").replace(",", ".");
  const n = Number(normalised);
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised) && Number.isFinite(n)
    ? n
    : cell;
}

/** Splits a `;`-separated row; cells may be "quoted" (with "" for a quote inside). */
function splitRow(text: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function deviceFromPath(path: string): string {
  const base = path.split("/").pop()!.replace(/\.[^.]*$/, "");
  const name = base.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 64);
  return DEVICE_NAME.test(name) ? name : "csv-device";
}
