import { z } from "zod";
import { DEVICE_NAME, PROFILES } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import { readJsonl } from "../train/read_jsonl.ts";
import { type Refusal, toSequences } from "../train/sequences.ts";

/**
 * The sidecar of a recording (`<device>.json` beside `<device>.jsonl`): who
 * the device is and at what temperature it is stressed. Other keys (source,
 * credit, notes, stats) are kept but not read.
 */
export const TraceSidecarSchema = z.looseObject({
  device: z.string().regex(DEVICE_NAME, { error: "must be a device name" }),
  profile: z.enum(PROFILES, { error: `must be ${PROFILES.join(" or ")}` }),
  hot_limit_c: z.number({ error: "must be a number of °C" }).min(30).max(130),
  hardware: z.string().optional(),
});

/** A folder of recordings, or one of its sidecars, that cannot be read as such; the message says why. */
export class InvalidTraceFolderError extends Error {
  constructor(message: string) {
    super(`Cannot read traces: ${message}`);
    this.name = "InvalidTraceFolderError";
  }
}

/** One recording: its device's readings, oldest first, with the sidecar's hot limit. */
export interface Trace extends DeviceSequence {
  hotLimitC: number;
  /** Where the hot limit came from: the sidecar, or `hotLimits` when it overrode it. */
  hotLimitFrom: "sidecar" | "option";
  hardware: string | null;
  /** The JSONL file. */
  file: string;
  /** Lines refused (not valid readings). */
  refused: Refusal[];
}

/**
 * Reads a folder of recordings in the real-traces form: `<device>.jsonl`
 * (readings as producers send them) with a `<device>.json` sidecar naming
 * the device, its profile and its hot limit (`hot_limit_c`). A device's hot
 * limit in `hotLimits` overrides its sidecar's. Throws an error naming the
 * file when the folder, a sidecar or its hot limit is missing or wrong; a bad
 * line is refused with its number and the rest is read.
 */
export async function readTraceFolder(
  dir: string,
  options: { hotLimits?: Record<string, number>; onProgress?: (line: string) => void } = {},
): Promise<Trace[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile || entry.isSymlink) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      throw new InvalidTraceFolderError(`${dir} is not a folder`);
    }
    throw error;
  }
  const recordings = names.filter((n) => n.endsWith(".jsonl")).sort();
  if (recordings.length === 0) {
    throw new InvalidTraceFolderError(`${dir} has no <device>.jsonl recordings`);
  }
  const traces: Trace[] = [];
  for (const name of recordings) {
    const file = `${dir}/${name}`;
    const sidecarPath = file.replace(/\.jsonl$/, ".json");
    const sidecar = await readSidecar(sidecarPath);
    const { readings, refused } = await readJsonl(file);
    const stranger = readings.find((r) =>
      r.device !== sidecar.device || r.profile !== sidecar.profile
    );
    if (stranger) {
      throw new InvalidTraceFolderError(
        `${file} has readings of ${stranger.device} (${stranger.profile}), ` +
          `its sidecar names ${sidecar.device} (${sidecar.profile}): one device per recording`,
      );
    }
    const [sequence] = toSequences(readings);
    if (!sequence) throw new InvalidTraceFolderError(`${file} has no reading of its device`);
    const option = options.hotLimits?.[sidecar.device];
    traces.push({
      ...sequence,
      hotLimitC: option ?? sidecar.hot_limit_c,
      hotLimitFrom: option === undefined ? "sidecar" : "option",
      hardware: sidecar.hardware ?? null,
      file,
      refused,
    });
    options.onProgress?.(
      `${file}: ${sequence.readings.length} readings, ${refused.length} refused, hot limit ${
        option ?? sidecar.hot_limit_c
      } °C`,
    );
  }
  return traces.sort((a, b) => a.device.localeCompare(b.device));
}

async function readSidecar(path: string): Promise<z.infer<typeof TraceSidecarSchema>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new InvalidTraceFolderError(
        `${path} is missing: each <device>.jsonl needs a sidecar ` +
          `<device>.json with device, profile and hot_limit_c`,
      );
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidTraceFolderError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = TraceSidecarSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      `${i.path.join(".") || "sidecar"} ${i.message}`
    );
    throw new InvalidTraceFolderError(`${path}: ${problems.join("; ")}`);
  }
  return parsed.data;
}
