import type { z } from "zod";
import { unframe } from "./confluent_framing.ts";
import { InvalidReadingError, type ReadingProblem } from "./invalid_reading_error.ts";
import { upgradeLegacyReading } from "./legacy_reading.ts";
import { parseLenientJson } from "./lenient_json.ts";
import { EXTRA_FIELD_NAME, PROFILES, type Reading, schemaFor } from "./reading_schema.ts";

const NAME_RULE = "1-64 letters, digits, '.', '_' or '-'";

/** Readings are a few hundred bytes; anything this big is not one. */
export const MAX_READING_BYTES = 16 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * Checks a value against the reading contract, upgrading the old system's
 * format first. Throws {@linkcode InvalidReadingError} naming every bad field.
 */
export function parseReading(value: unknown): Reading {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidReadingError([{
      field: "",
      message: `a reading must be a JSON object, got ${kindOf(value)}`,
    }]);
  }
  const upgraded = upgradeLegacyReading(value as Record<string, unknown>);
  const profile = upgraded.profile;
  if (typeof profile !== "string" || !(PROFILES as readonly string[]).includes(profile)) {
    throw new InvalidReadingError([{
      field: "profile",
      message: `'${String(profile).slice(0, 32)}' is not a known profile (expected ${
        PROFILES.join(" or ")
      })`,
    }]);
  }
  const schema = schemaFor(profile as Reading["profile"]);
  const result = schema.safeParse(keepUnknownFields(upgraded, schema.shape, profile), {
    reportInput: true,
  });
  if (!result.success) throw new InvalidReadingError(problemsOf(result.error));
  return result.data;
}

/**
 * Decodes the bytes of one message (plain JSON, or JSON in Confluent Schema
 * Registry framing) into a valid reading.
 */
export function decodeReading(bytes: Uint8Array): Reading {
  if (bytes.length > MAX_READING_BYTES) {
    throw new InvalidReadingError([{
      field: "",
      message: `message is ${bytes.length} bytes, a reading may be at most ${MAX_READING_BYTES}`,
    }]);
  }
  let payload: Uint8Array;
  try {
    payload = unframe(bytes).payload;
  } catch (error) {
    throw new InvalidReadingError([{ field: "", message: (error as Error).message }]);
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw new InvalidReadingError([{ field: "", message: "message is not UTF-8 text" }]);
  }
  let value: unknown;
  try {
    value = parseLenientJson(text);
  } catch (error) {
    throw new InvalidReadingError([{
      field: "",
      message: `message is not JSON: ${(error as Error).message}`,
    }]);
  }
  return parseReading(value);
}

/** Encodes a reading as the UTF-8 JSON bytes producers send. */
export function encodeReading(reading: Reading): Uint8Array {
  return utf8Encoder.encode(JSON.stringify(reading));
}

/**
 * Moves the fields the profile does not know under `extra`, so they are
 * kept (see `reading_schema.ts` for why); an unknown field that is not a
 * number or null refuses the reading, naming it.
 */
function keepUnknownFields(
  value: Record<string, unknown>,
  known: Record<string, unknown>,
  profile: string,
): Record<string, unknown> {
  const unknown = Object.keys(value).filter((name) => !Object.hasOwn(known, name));
  if (unknown.length === 0) return value;
  const kept: Record<string, unknown> = {};
  const problems: ReadingProblem[] = [];
  const reading: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (Object.hasOwn(known, name)) reading[name] = field;
    else if (!EXTRA_FIELD_NAME.test(name) || name === "__proto__") {
      problems.push({
        field: name.length > 64 ? `${name.slice(0, 64)}...` : name,
        message: `is not a field of a ${profile} reading, nor a name one could have (${NAME_RULE})`,
      });
    } else if (field === null || typeof field === "number") kept[name] = field;
    else {
      problems.push({
        field: name,
        message: `is not a field of a ${profile} reading; an unknown field is kept (under extra) ` +
          `only when it is a number, got ${kindOf(field)}`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidReadingError(problems);
  const given = value.extra;
  if (
    given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))
  ) {
    return { ...reading, extra: given }; // the schema names what is wrong with it
  }
  return { ...reading, extra: { ...(given as Record<string, unknown> | undefined), ...kept } };
}

function problemsOf(error: z.ZodError): ReadingProblem[] {
  return error.issues.map((issue) => ({ field: issue.path.join("."), message: messageOf(issue) }));
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return "is required";
  return issue.message;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
