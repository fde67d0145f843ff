import type { Logger } from "../../shared/log.ts";
import type { Profile } from "../../shared/reading/mod.ts";
import type { CommandRunner } from "./command_runner.ts";
import type { GraphicsInfo } from "./gpu.ts";
import { createPcSensors } from "./pc_sensors.ts";
import { createRaspberrySensors } from "./raspberry_sensors.ts";
import type { SensorSource } from "../../shared/sensors/sensor_source.ts";
import { createSystemGraphics } from "./system_information.ts";
import { readKernelFile } from "./sysfs.ts";

export interface DetectSensorSourceOptions {
  /** `/` on a device, a fixture tree in tests. */
  root: string;
  /** Runs `vcgencmd` on a Pi. */
  run: CommandRunner;
  /** Forces the profile (`--profile`, `PROFILE`) instead of detecting it. */
  profile?: Profile;
  /**
   * GPU information for PCs whose GPU the kernel cannot read (NVIDIA).
   * Default: systeminformation when `root` is `/` (it reads this machine)
   * and an NVIDIA card is present, none under any other root.
   */
  graphics?: GraphicsInfo | null;
  log?: Logger;
}

/** The profile this machine looks like, and why. */
export async function detectProfile(root: string): Promise<{ profile: Profile; reason: string }> {
  const model = await readKernelFile(root, "/proc/device-tree/model");
  if (model.ok && /^Raspberry Pi/.test(model.text.replace(/\0/g, ""))) {
    return { profile: "raspberry", reason: `device tree: ${model.text.replace(/\0/g, "")}` };
  }
  const cpuinfo = await readKernelFile(root, "/proc/cpuinfo");
  const piModel = cpuinfo.ok ? /^Model\s*:\s*(Raspberry Pi.*)$/m.exec(cpuinfo.text) : null;
  if (piModel) return { profile: "raspberry", reason: `/proc/cpuinfo: ${piModel[1]}` };
  const bcm = cpuinfo.ok ? /^Hardware\s*:\s*(BCM2\d{3})/m.exec(cpuinfo.text) : null;
  if (bcm) return { profile: "raspberry", reason: `/proc/cpuinfo: Broadcom ${bcm[1]}` };
  return { profile: "pc", reason: "no Raspberry Pi model in the device tree or /proc/cpuinfo" };
}

/**
 * This machine's sensors: a Raspberry Pi's when the device tree or
 * /proc/cpuinfo names one, a PC's otherwise; `profile` overrides.
 */
export async function detectSensorSource(
  options: DetectSensorSourceOptions,
): Promise<SensorSource> {
  const { root, run, log } = options;
  const { profile, reason } = options.profile
    ? { profile: options.profile, reason: "chosen by flag or PROFILE" }
    : await detectProfile(root);
  log?.info("profile", { profile, reason });
  return profile === "raspberry" ? createRaspberrySensors({ root, run, log }) : createPcSensors({
    root,
    graphics: options.graphics !== undefined
      ? options.graphics
      : root.replace(/\/+$/, "") === ""
      ? createSystemGraphics(root)
      : null,
    log,
  });
}
