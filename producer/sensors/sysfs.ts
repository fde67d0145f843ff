/**
 * Reading small kernel files (sysfs, procfs) under a root folder, so the same
 * code reads `/sys` on a device and a fixture tree in tests.
 */

/** The outcome of reading one kernel file. */
export type FileRead =
  | { ok: true; text: string }
  | { ok: false; reason: "missing" | "permission" | "error"; message: string };

export async function readKernelFile(root: string, path: string): Promise<FileRead> {
  try {
    return { ok: true, text: (await Deno.readTextFile(join(root, path))).trim() };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ok: false, reason: "missing", message: `${path} not found` };
    }
    if (error instanceof Deno.errors.NotCapable) {
      return {
        ok: false,
        reason: "permission",
        message: `${path} is not readable: Deno needs --allow-all (-A) to read /proc and /sys`,
      };
    }
    if (
      error instanceof Deno.errors.PermissionDenied ||
      (error as { code?: string }).code === "EACCES"
    ) {
      return { ok: false, reason: "permission", message: `${path} is not readable (root only?)` };
    }
    return { ok: false, reason: "error", message: `${path}: ${(error as Error).message}` };
  }
}

/** A number from a kernel file, or null when the file is missing, unreadable or not a number. */
export async function readNumber(root: string, path: string): Promise<number | null> {
  const read = await readKernelFile(root, path);
  if (!read.ok) return null;
  const value = Number(read.text);
  return Number.isFinite(value) ? value : null;
}

/** Names in a folder, sorted; empty when the folder is missing or unreadable. */
export async function listDir(root: string, path: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, path))) names.push(entry.name);
  } catch {
    return [];
  }
  return names.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** `root` + absolute `path`, without doubling the slash. */
export function join(root: string, path: string): string {
  return `${root.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
