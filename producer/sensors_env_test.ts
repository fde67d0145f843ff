import assert from "node:assert/strict";
import { AGENT_DEFAULTS } from "./create_agent.ts";
import { parseEnv } from "../shared/config/parse_env.ts";
import { deviceNameFromHost, deviceOf, SensorsEnv } from "./sensors_env.ts";

Deno.test("SensorsEnv samples / at the agent's rhythm by default", () => {
  assert.deepEqual(parseEnv(SensorsEnv, {}), {
    DEVICE_NAME: undefined,
    SAMPLE_INTERVAL_S: AGENT_DEFAULTS.intervalMs / 1000,
    SENSORS_ROOT: "/",
  });
  assert.throws(
    () => parseEnv(SensorsEnv, { DEVICE_NAME: "my pi" }),
    /DEVICE_NAME is 'my pi': must be 1-64 letters/,
  );
});

Deno.test("deviceOf() is DEVICE_NAME, else the host name made valid", () => {
  assert.equal(deviceOf({ DEVICE_NAME: "pi4" }, "host"), "pi4");
  assert.equal(deviceOf({}, "My Laptop.local"), "My-Laptop.local");
});

Deno.test("deviceNameFromHost() makes a host name a valid device name", () => {
  assert.equal(deviceNameFromHost("My Laptop.local"), "My-Laptop.local");
  assert.equal(deviceNameFromHost("***"), "this-machine");
  assert.equal(deviceNameFromHost(".."), "this-machine", "never '.' or '..'");
  assert.equal(deviceNameFromHost("a".repeat(80)).length, 64);
});
