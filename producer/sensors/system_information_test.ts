import assert from "node:assert/strict";
import { fixtureTree } from "../../testing/fixture_tree.ts";
import { machineRoot } from "./fixtures/machine_fixture.ts";
import { createSystemGraphics, hasNvidiaDisplay } from "./system_information.ts";

Deno.test("hasNvidiaDisplay() finds an NVIDIA display controller on the PCI bus, and nothing else", async () => {
  await using tree = await fixtureTree({
    "/sys/bus/pci/devices/0000:00:02.0/vendor": "0x8086",
    "/sys/bus/pci/devices/0000:00:02.0/class": "0x030000",
    "/sys/bus/pci/devices/0000:01:00.1/vendor": "0x10de",
    "/sys/bus/pci/devices/0000:01:00.1/class": "0x040300",
  });
  assert.equal(await hasNvidiaDisplay(tree.root), false, "an Intel GPU and NVIDIA's HDMI audio");
  await tree.write("/sys/bus/pci/devices/0000:01:00.0/vendor", "0x10de");
  await tree.write("/sys/bus/pci/devices/0000:01:00.0/class", "0x030000");
  assert.equal(await hasNvidiaDisplay(tree.root), true);
});

Deno.test("createSystemGraphics() answers no controllers without loading systeminformation when there is no NVIDIA card", async () => {
  const graphics = createSystemGraphics(machineRoot("amd_desktop"));
  assert.deepEqual(await graphics(), { controllers: [] });
});
