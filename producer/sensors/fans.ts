import { listDir, readNumber } from "./sysfs.ts";

/**
 * Every fan the kernel reports a speed for: `fanN_input` (RPM) in each
 * hwmon device (motherboard Super I/O chips, laptop EC drivers, amdgpu, the
 * Pi 5's pwmfan). Found once; a stopped fan reads 0 RPM, which is real.
 */
export async function findFans(root: string): Promise<string[]> {
  const fans: string[] = [];
  for (const dir of await listDir(root, "/sys/class/hwmon")) {
    const base = `/sys/class/hwmon/${dir}`;
    for (const file of await listDir(root, base)) {
      if (/^fan\d+_input$/.test(file) && (await readNumber(root, `${base}/${file}`)) !== null) {
        fans.push(`${base}/${file}`);
      }
    }
  }
  return fans;
}

/** The speeds of the fans `findFans` found, RPM; null when there are none or none answers. */
export async function readFans(root: string, fans: readonly string[]): Promise<number[] | null> {
  if (fans.length === 0) return null;
  const speeds = await Promise.all(fans.map((path) => readNumber(root, path)));
  const known = speeds.filter((s): s is number => s !== null && s >= 0);
  return known.length === 0 ? null : known;
}
