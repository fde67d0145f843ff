import { listDir, readKernelFile, readNumber } from "./sysfs.ts";

/** GPU values of one sample; null where the GPU does not say. */
export interface GpuValues {
  temperature: number | null;
  load: number | null;
}

/** One GPU's sensors, found once at start. */
export interface GpuSensor {
  detail: string;
  hasTemperature: boolean;
  hasLoad: boolean;
  read(): Promise<GpuValues>;
}

/** The part of systeminformation's `graphics()` answer this reads. */
export interface GraphicsControllers {
  controllers: Array<{
    vendor?: string;
    model?: string;
    temperatureGpu?: number | null;
    utilizationGpu?: number | null;
  }>;
}

/** `si.graphics` on a device; recorded answers in tests. */
export type GraphicsInfo = () => Promise<GraphicsControllers>;

/** hwmon drivers of GPUs with a temperature in the kernel. */
const GPU_HWMON = ["amdgpu", "radeon", "nouveau"];

/**
 * Finds the GPU's temperature and load: the kernel first (hwmon of amdgpu,
 * radeon or nouveau for temperature, `gpu_busy_percent` of a DRM card for
 * load), then systeminformation (`graphics`, which asks `nvidia-smi` for
 * NVIDIA cards, the kernel knowing nothing of their sensors). Null when no
 * GPU reports either (Intel integrated graphics, a VM).
 */
export async function findGpu(
  root: string,
  graphics: GraphicsInfo | null,
): Promise<GpuSensor | null> {
  const temperature = await findKernelGpuTemperature(root);
  const load = await findKernelGpuLoad(root);
  if (temperature || load) {
    return {
      detail: [temperature?.detail, load?.detail].filter(Boolean).join(", "),
      hasTemperature: temperature !== null,
      hasLoad: load !== null,
      read: async () => ({
        temperature: temperature ? await milliCelsius(root, temperature.path) : null,
        load: load ? await readNumber(root, load.path) : null,
      }),
    };
  }
  if (!graphics) return null;
  const { controllers } = await graphics();
  const index = controllers.findIndex((c) =>
    isNumber(c.temperatureGpu) || isNumber(c.utilizationGpu)
  );
  const first = controllers[index];
  if (!first) return null;
  return {
    detail: `systeminformation ${[first.vendor, first.model].filter(Boolean).join(" ")}`.trim(),
    hasTemperature: isNumber(first.temperatureGpu),
    hasLoad: isNumber(first.utilizationGpu),
    read: async () => {
      const controller = (await graphics()).controllers[index];
      return {
        temperature: isNumber(controller?.temperatureGpu) ? controller.temperatureGpu : null,
        load: isNumber(controller?.utilizationGpu) ? controller.utilizationGpu : null,
      };
    },
  };
}

const isNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

async function findKernelGpuTemperature(root: string) {
  for (const dir of await listDir(root, "/sys/class/hwmon")) {
    const base = `/sys/class/hwmon/${dir}`;
    const name = await readKernelFile(root, `${base}/name`);
    if (!name.ok || !GPU_HWMON.includes(name.text)) continue;
    const inputs = (await listDir(root, base)).filter((f) => /^temp\d+_input$/.test(f));
    let pick: { input: string; label: string } | null = null;
    for (const input of inputs) {
      const label = await readKernelFile(root, `${base}/${input.replace("_input", "_label")}`);
      const candidate = { input, label: label.ok ? label.text : "" };
      if (candidate.label === "edge") pick = candidate;
      pick ??= candidate;
    }
    if (pick && (await readNumber(root, `${base}/${pick.input}`)) !== null) {
      return {
        path: `${base}/${pick.input}`,
        detail: `hwmon ${name.text} ${pick.label || pick.input.replace("_input", "")}`,
      };
    }
  }
  return null;
}

async function findKernelGpuLoad(root: string) {
  for (const card of await listDir(root, "/sys/class/drm")) {
    if (!/^card\d+$/.test(card)) continue;
    const path = `/sys/class/drm/${card}/device/gpu_busy_percent`;
    if ((await readNumber(root, path)) !== null) {
      return { path, detail: `${card} gpu_busy_percent` };
    }
  }
  return null;
}

async function milliCelsius(root: string, path: string): Promise<number | null> {
  const value = await readNumber(root, path);
  return value === null ? null : Math.round(value / 100) / 10;
}
