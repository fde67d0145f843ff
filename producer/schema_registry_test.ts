import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { aPcReading, aRaspberryReading } from "../testing/a_reading.ts";
import { decodeThrottled } from "../shared/reading/mod.ts";
import { readingJsonSchema, registerJsonSchema, SchemaRegistryError } from "./schema_registry.ts";
import { startRegistry } from "../testing/schema_registry_stand_in.ts";

Deno.test("registerJsonSchema() registers the reading schema once and finds it afterwards", async () => {
  await using registry = startRegistry({ key: "KEY", secret: "SECRET" });
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
    await using registry = startRegistry({ key: "KEY", secret: "SECRET" });
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
    await using registry = startRegistry({ key: "K", secret: "S" });
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
    await using registry = startRegistry({ key: "K", secret: "S", status: 503 });
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
  assert.equal(validate(aPcReading({ cpu_throttled: true })), true);
  assert.equal(validate({ ...aPcReading(), cpu_throttled: 3 }), false);
  assert.equal(validate({ ...aPcReading(), TemperatureCPUPackage: 837 }), false);
  assert.equal(validate({ ...aPcReading(), profile: "toaster" }), false);
});
