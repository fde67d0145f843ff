/**
 * Writes a fake file tree (a `/sys` and `/proc` of some machine) into a new
 * temporary folder and returns its path. Keys are absolute paths inside the
 * tree, values the file contents.
 *
 * @example
 * ```ts
 * await using tree = await fixtureTree({ "/proc/loadavg": "0.5 0.4 0.3 1/100 42" });
 * createPcSensors({ root: tree.root });
 * ```
 */
export async function fixtureTree(files: Record<string, string>): Promise<FixtureTree> {
  const root = await Deno.makeTempDir({ prefix: "fixture-tree-" });
  const tree: FixtureTree = {
    root,
    async write(path, content) {
      const full = `${root}${path}`;
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
  for (const [path, content] of Object.entries(files)) await tree.write(path, content);
  return tree;
}

export interface FixtureTree extends AsyncDisposable {
  root: string;
  /** Writes (or overwrites) one file in the tree. */
  write(path: string, content: string): Promise<void>;
}

/** /proc/stat with the given busy and idle jiffies on the aggregate line. */
export function procStat(busy: number, idle: number): string {
  return `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\n`;
}
