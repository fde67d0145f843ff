import { z } from "zod";
import { ReadingSchema } from "../shared/reading/mod.ts";

export interface SchemaRegistryOptions {
  /** e.g. `https://psrc-xxxx.europe-west3.gcp.confluent.cloud` */
  url: string;
  /** API key and secret, sent as HTTP basic auth. */
  key?: string;
  secret?: string;
  /** Give up on one request after this long, ms. Default 10000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A Schema Registry answer that retrying will not change (bad credentials, incompatible schema). */
export class SchemaRegistryError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
    this.name = "SchemaRegistryError";
  }
}

/** The reading contract as a JSON Schema, generated from the shared zod schema. */
export function readingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ReadingSchema, { io: "input" }) as Record<string, unknown>;
}

/**
 * Finds or registers `schema` (JSON Schema) under `subject` in a Confluent
 * Schema Registry and returns its id, for framing messages. It looks the
 * schema up first (`POST /subjects/{subject}`), which a read-only key may
 * do, and registers it (`POST /subjects/{subject}/versions`) only when the
 * subject does not have it yet. Network trouble and 5xx throw a plain
 * Error (worth retrying); refusals throw `SchemaRegistryError`.
 */
export async function registerJsonSchema(
  options: SchemaRegistryOptions,
  subject: string,
  schema: Record<string, unknown>,
): Promise<number> {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const body = JSON.stringify({ schemaType: "JSON", schema: JSON.stringify(schema) });
  const headers: Record<string, string> = {
    "content-type": "application/vnd.schemaregistry.v1+json",
    accept: "application/vnd.schemaregistry.v1+json, application/json",
  };
  if (options.key !== undefined) {
    headers.authorization = `Basic ${btoa(`${options.key}:${options.secret ?? ""}`)}`;
  }
  const call = async (path: string) => {
    const response = await doFetch(`${base}${path}`, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    let json: { id?: unknown; error_code?: unknown; message?: unknown } = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { message: text.slice(0, 200) };
    }
    return { status: response.status, json };
  };
  const encoded = encodeURIComponent(subject);
  let answer = await call(`/subjects/${encoded}`);
  if (answer.status === 404) answer = await call(`/subjects/${encoded}/versions`);
  if (answer.status === 200 && Number.isInteger(answer.json.id)) return answer.json.id as number;
  const what = `Schema Registry ${base} refused the reading schema for subject '${subject}'`;
  const detail = `${answer.status}${answer.json.message ? `: ${answer.json.message}` : ""}`;
  if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
    throw new Error(`${what} for now (${detail})`);
  }
  const hint = answer.status === 401 || answer.status === 403
    ? " (check SCHEMA_REGISTRY_KEY and SCHEMA_REGISTRY_SECRET)"
    : answer.status === 409
    ? " (incompatible with the subject's latest version)"
    : "";
  throw new SchemaRegistryError(`${what}${hint} (${detail})`, answer.status);
}
