import assert from "node:assert/strict";
import { fixtureTree } from "../../testing/fixture_tree.ts";
import { createCommandRunner } from "./command_runner.ts";
import { detectProfile, detectSensorSource } from "./detect_sensor_source.ts";
import { type Machine, machineRoot } from "./fixtures/machine_fixture.ts";

Deno.test("detectProfile() tells a Raspberry Pi from a PC", async (t) => {
  const expected: Record<Machine, string> = {
    intel_laptop: "pc",
    amd_desktop: "pc",
    vm_no_sensors: "pc",
    pi4_undervoltage: "raspberry",
    pi3_no_vcgencmd: "raspberry",
  };
  for (const [machine, profile] of Object.entries(expected)) {
    await t.step(machine, async () => {
      assert.equal((await detectProfile(machineRoot(machine as Machine))).profile, profile);
    });
  }
  await t.step("the device tree model, without its trailing NUL", async () => {
    assert.equal(
      (await detectProfile(machineRoot("pi4_undervoltage"))).reason,
      "device tree: Raspberry Pi 4 Model B Rev 1.4",
    );
  });
  await t.step("/proc/cpuinfo when there is no device tree", async () => {
    await using tree = await fixtureTree({
      "/proc/cpuinfo":
        "processor\t: 0\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 3 Model B Rev 1.2\n",
    });
    assert.deepEqual(await detectProfile(tree.root), {
      profile: "raspberry",
      reason: "/proc/cpuinfo: Raspberry Pi 3 Model B Rev 1.2",
    });
  });
});

Deno.test("detectSensorSource() follows a forced profile", async () => {
  const root = machineRoot("pi4_undervoltage");
  const detected = await detectSensorSource({ root, run: createCommandRunner({ root }) });
  assert.equal(detected.profile, "raspberry");
  const forced = await detectSensorSource({
    root,
    run: createCommandRunner({ root }),
    profile: "pc",
  });
  assert.equal(forced.profile, "pc");
  const inventory = await forced.inventory();
  assert.equal(inventory.find((s) => s.field === "TemperatureCPUPackage")?.present, true);
});
