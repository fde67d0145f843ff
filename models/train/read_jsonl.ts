import { InvalidReadingError, parseReading, type Reading } from "../../shared/reading/mod.ts";
import { readLines } from "./read_lines.ts";
import type { Refusal } from "./sequences.ts";

/**
 * Reads readings from a JSONL file (one reading per line, current or old
 * format). A bad line is refused with its number and the reason, never
 * silently dropped, and the rest is read.
 */
export async function readJsonl(
  path: string,
  onProgress: (lines: number) => void = () => {},
): Promise<{ readings: Reading[]; refused: Refusal[] }> {
  const readings: Reading[] = [];
  const refused: Refusal[] = [];
  for await (const { line, text } of readLines(path)) {
    if (line % 100_000 === 0) onProgress(line);
    if (text.trim() === "") continue;
    try {
      readings.push(parseReading(JSON.parse(text)));
    } catch (error) {
      if (!(error instanceof InvalidReadingError || error instanceof SyntaxError)) throw error;
      refused.push({ source: path, line, error: error.message });
    }
  }
  return { readings, refused };
}
