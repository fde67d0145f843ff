import assert from "node:assert/strict";
import { parseReading } from "../shared/reading/mod.ts";
import { aPcReading, aRaspberryReading } from "../testing/a_reading.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { createUnknownFieldLog } from "./unknown_fields_log.ts";

Deno.test("createUnknownFieldLog() names an unknown field once per device, with the field it likely meant", () => {
  const log = createMemoryLogger();
  const unknown = createUnknownFieldLog(log);
  const misspelt = (device: string) =>
    parseReading({ ...aPcReading({ device }), TemperatureCPUPackag: 91 });
  unknown.note(misspelt("pc1"));
  unknown.note(misspelt("pc1"));
  unknown.note(misspelt("pc2"));
  unknown.note(parseReading({ ...aRaspberryReading({ device: "pi" }), nvme_temp: 40 }));
  unknown.note(parseReading(aPcReading({ device: "pc1" })));
  assert.deepEqual(log.lines.map((line) => line.slice(25)), [
    "warn  unknown field kept under extra device=pc1 field=TemperatureCPUPackag profile=pc did_you_mean=TemperatureCPUPackage",
    "warn  unknown field kept under extra device=pc2 field=TemperatureCPUPackag profile=pc did_you_mean=TemperatureCPUPackage",
    "warn  unknown field kept under extra device=pi field=nvme_temp profile=raspberry",
  ]);
});

Deno.test("createUnknownFieldLog() stops naming fields past its bound, saying so once", () => {
  const log = createMemoryLogger();
  const unknown = createUnknownFieldLog(log, { maxTracked: 2 });
  for (let i = 0; i < 5; i++) unknown.note(parseReading({ ...aPcReading(), [`f${i}`]: i }));
  assert.equal(log.lines.length, 3);
  assert.match(log.lines[2]!, /too many unknown fields to name each once/);
});
