import type { GraphicsInfo } from "./gpu.ts";
import { listDir, readKernelFile } from "./sysfs.ts";

/** PCI vendor id of NVIDIA, whose GPU sensors only `nvidia-smi` can read. */
const NVIDIA = "0x10de";

/**
 * systeminformation's view of this machine's GPUs: it runs `nvidia-smi`
 * for NVIDIA cards, the only ones whose temperature and load the kernel
 * cannot give. So systeminformation (about 13 MB of memory) is loaded only
 * when the PCI bus under `root` has an NVIDIA display controller; otherwise
 * this answers "no controllers" at once.
 */
export function createSystemGraphics(root: string): GraphicsInfo {
  let nvidia: Promise<boolean> | null = null;
  let si: Promise<{ graphics: GraphicsInfo }> | null = null;
  return async () => {
    nvidia ??= hasNvidiaDisplay(root);
    if (!(await nvidia)) return { controllers: [] };
    si ??= import("systeminformation").then((module) => module.default);
    return (await si).graphics();
  };
}

/** True when a PCI display controller (class 0x03xxxx) of NVIDIA is present. */
export async function hasNvidiaDisplay(root: string): Promise<boolean> {
  for (const device of await listDir(root, "/sys/bus/pci/devices")) {
    const base = `/sys/bus/pci/devices/${device}`;
    const vendor = await readKernelFile(root, `${base}/vendor`);
    const kind = await readKernelFile(root, `${base}/class`);
    if (vendor.ok && vendor.text === NVIDIA && kind.ok && kind.text.startsWith("0x03")) return true;
  }
  return false;
}
