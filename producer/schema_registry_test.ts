import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { aPcReading, aRaspberryReading } from "../testing/a_reading.ts";
import { decodeThrottled } from "../shared/reading/mod.ts";
import { readingJsonSchema, registerJsonSchema, SchemaRegistryError } from "./schema_registry.ts";

/**
 * A stand-in for Confluent's Schema Registry (a Java service that cannot be
 * installed here): the two endpoints the producer calls, on 127.0.0.1.
 */
async function startRegistry(options: { key: string; secret: string; status?: number }) {
  const subjects = new Map<string, { id: number; schema: string }>();
  const requests: string[] = [];
  let nextId = 100001;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push(`${req.method} ${path}`);
    const reply = (status: number, body: unknown) =>
      Response.json(body, {
        status,
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      });
    if (req.headers.get("authorization") !== `Basic ${btoa(`${options.key}:${options.secret}`)}`) {
      return reply(401, { error_code: 40101, message: "Unauthorized" });
    }
    if (options.status) return reply(options.status, { error_code: options.status, message: "no" });
    const body = await req.json();
    if (body.schemaType !== "JSON" || typeof body.schema !== "string") {
      return reply(422, { error_code: 42201, message: "Invalid schema" });
    }
    const lookup = /^\/subjects\/([^/]+)$/.exec(path);
    const register = /^\/subjects\/([^/]+)\/versions$/.exec(path);
    const subject = decodeURIComponent((lookup ?? register)?.[1] ?? "");
    const known = subjects.get(subject);
    if (lookup) {
      return known && known.schema === body.schema
        ? reply(200, { subject, id: known.id, version: 1, schema: known.schema })
        : reply(404, { error_code: 40401, message: `Subject '${subject}' not found.` });
    }
    if (register) {
      if (known && known.schema !== body.schema) {
        return reply(409, { error_code: 409, message: "Schema being registered is incompatible" });
      }
      const entry = known ?? { id: nextId++, schema: body.schema };
      subjects.set(subject, entry);
      return reply(200, { id: entry.id });
    }
    return reply(404, { error_code: 404, message: "HTTP 404 Not Found" });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    subjects,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("registerJsonSchema() registers the reading schema once and finds it afterwards", async () => {
  await using registry = await startRegistry({ key: "KEY", secret: "SECRET" });
  const options = { url: registry.url, key: "KEY", secret: "SECRET" };
  const id = await registerJsonSchema(options, "pi4-value", readingJsonSchema());
  assert.equal(id, 100001);
  assert.equal(await registerJsonSchema(options, "pi4-value", readingJsonSchema()), id);
  assert.deepEqual(registry.requests, [
    "POST /subjects/pi4-value",
    "POST /subjects/pi4-value/versions",
    "POST /subjects/pi4-value",
  ]);
  assert.deepEqual(JSON.parse(registry.subjects.get("pi4-value")!.schema), readingJsonSchema());
});

Deno.test("registerJsonSchema() says what the registry refused", async (t) => {
  await t.step("wrong credentials: permanent, naming the variables", async () => {
    await using registry = await startRegistry({ key: "KEY", secret: "SECRET" });
    const error = await registerJsonSchema(
      { url: registry.url, key: "KEY", secret: "wrong" },
      "pi4-value",
      readingJsonSchema(),
    ).catch((e) => e);
    assert.ok(error instanceof SchemaRegistryError);
    assert.match(
      error.message,
      /check SCHEMA_REGISTRY_KEY and SCHEMA_REGISTRY_SECRET\) \(401: Unauthorized\)/,
    );
  });
  await t.step("an incompatible schema: permanent", async () => {
    await using registry = await startRegistry({ key: "K", secret: "S" });
    const options = { url: registry.url, key: "K", secret: "S" };
    await registerJsonSchema(options, "pi4-value", { type: "object" });
    await assert.rejects(
      registerJsonSchema(options, "pi4-value", readingJsonSchema()),
      (e) =>
        e instanceof SchemaRegistryError &&
        /incompatible with the subject's latest/.test(e.message),
    );
  });
  await t.step("a 503: worth retrying, so a plain Error", async () => {
    await using registry = await startRegistry({ key: "K", secret: "S", status: 503 });
    const error = await registerJsonSchema(
      { url: registry.url, key: "K", secret: "S" },
      "pi4-value",
      readingJsonSchema(),
    ).catch((e) => e);
    assert.ok(!(error instanceof SchemaRegistryError));
    assert.match(error.message, /refused the reading schema for subject 'pi4-value' for now \(503/);
  });
});

Deno.test("readingJsonSchema() accepts the readings the producer sends and refuses broken ones", () => {
  const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
    readingJsonSchema(),
  );
  const pi = aRaspberryReading({
    throttled: "0x50005",
    throttled_flags: decodeThrottled("0x50005"),
  });
  assert.equal(validate(pi), true, JSON.stringify(validate.errors));
  assert.equal(validate(aPcReading({ fan_rpm: [1200, 0], TemperatureGPUCore: null })), true);
  assert.equal(validate({ ...aPcReading(), TemperatureCPUPackage: 837 }), false);
  assert.equal(validate({ ...aPcReading(), profile: "toaster" }), false);
});
