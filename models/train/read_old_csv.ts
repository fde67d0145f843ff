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
/** Rows without a time are taken as consecutive readings this far apart, s, from this time. */
export const CSV_ROW_INTERVAL_S = 5;
export const CSV_UNTIMED_START = Date.parse("2000-01-01T00:00:00.000Z");

/**
 * Reads a CSV export of the old system: `;`-separated, decimal comma, a
 * header of the old field names. PC files carry the target
 * `NoTechnicalInterventionRequired` (1 = fine), which becomes the reading's
 * "stressed" value; Pi files carry `throttled`, which the stress definition
 * reads anyway, and `loading_datetime`, which orders them. Rows without any
 * time are taken as consecutive, 5 s apart. The device is the `device`
 * column, or the file's name. A bad row is refused with its line number.
 */
export async function readOldCsv(
  path: string,
): Promise<{ sequences: DeviceSequence[]; refused: Refusal[]; rows: number }> {
  const refused: Refusal[] = [];
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
      record.timestamp = new Date(CSV_UNTIMED_START + index * CSV_ROW_INTERVAL_S * 1000)
        .toISOString();
    }
    index++;
    try {
      rows.push({
        reading: parseReading(record),
        stressed: target === undefined ? undefined : target === 0,
      });
    } catch (error) {
      if (!(error instanceof InvalidReadingError)) throw error;
      refuse(error.message);
    }
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
  return { sequences, refused, rows: rows.length };
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
