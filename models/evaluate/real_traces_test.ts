import assert from "node:assert/strict";
import { testPeer } from "../../testing/test_peer.ts";
import { main } from "./main.ts";

/**
 * `deno task evaluate --traces` on the real recordings, where they are:
 * `../shared/real-traces` beside the repository (CI has them; elsewhere the
 * test skips with a notice). Checks the table's structure and that the
 * episodes and stressed readings found agree with the counts the folder's
 * README gives for each recording.
 */
const TRACES = new URL("../../../shared/real-traces", import.meta.url).pathname;
const MODELS = new URL("../trained", import.meta.url).pathname;

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

const traces = testPeer({
  name: "the real recordings in ../shared/real-traces",
  available: await isFolder(TRACES),
  install: "place the shared folder beside the repository (../shared/real-traces)",
});

/** From the README's table: per device, stressed readings and episodes. */
function knownCounts(readme: string): Map<string, { stressed: number; episodes: number }> {
  const counts = new Map<string, { stressed: number; episodes: number }>();
  for (const line of readme.split("\n")) {
    const match = /^\| `([^`]+)` \|.*\| (\d+) \/ (\d+) \|$/.exec(line.trim());
    if (match) counts.set(match[1]!, { stressed: Number(match[2]), episodes: Number(match[3]) });
  }
  return counts;
}

interface TraceJson {
  device: string;
  profile: string;
  hot_limit_c: number;
  readings: number;
  stressed_readings: number;
  episodes: { leads: Record<string, number> }[];
  results: { key: string }[];
}

Deno.test({
  name:
    "deno task evaluate --traces ../shared/real-traces finds the README's episodes in every recording",
  ignore: traces.ignore,
  fn: async () => {
    const known = knownCounts(await Deno.readTextFile(`${TRACES}/README.md`));
    assert.ok(known.size >= 20, `the README's table lists the recordings (found ${known.size})`);
    const dir = await Deno.makeTempDir();
    try {
      const out: string[] = [];
      const code = await main(
        [
          "--traces",
          TRACES,
          "--models",
          MODELS,
          "--json",
          `${dir}/evaluation-traces.json`,
          // A small training fleet for the budget rule's thresholds: the counts do not depend on them.
          "--train-devices",
          "4",
          "--train-hours",
          "6",
        ],
        { out: (t) => out.push(t), err: () => {} },
      );
      assert.equal(code, 0);
      const json = JSON.parse(await Deno.readTextFile(`${dir}/evaluation-traces.json`));
      const found: TraceJson[] = json.traces;
      assert.deepEqual(found.map((t) => t.device).sort(), [...known.keys()].sort());
      for (const trace of found) {
        assert.deepEqual(
          { stressed: trace.stressed_readings, episodes: trace.episodes.length },
          known.get(trace.device),
          `${trace.device} (${trace.hot_limit_c} °C)`,
        );
        assert.deepEqual(trace.results.map((r) => r.key), ["model", "rule", "budget_rule"]);
      }
      const ryzen = found.find((t) => t.device === "ryzen2700x-wraith-p95-pbo-on")!;
      assert.equal(ryzen.hot_limit_c, 84.5, "the sidecar's hot limit, not the pc default");

      const lines = out.join("\n").split("\n");
      const header = lines.findIndex((l) => l.startsWith("recording (hot limit)"));
      assert.ok(header >= 0, "the metrics table");
      for (const trace of found) {
        const rows = lines.filter((l) =>
          l.startsWith(`${trace.device} (${trace.hot_limit_c} °C) `)
        );
        assert.equal(rows.length, 3, `${trace.device}: model, rule and budget rule`);
      }
      for (const total of ["all raspberry", "all pc", "all recordings"]) {
        assert.equal(lines.filter((l) => l.startsWith(`${total} `)).length, 3, total);
      }
      const episodes = [...known.values()].reduce((n, c) => n + c.episodes, 0);
      const episodeHeader = lines.findIndex((l) => l.startsWith("recording  "));
      assert.equal(
        lines.slice(episodeHeader + 2).filter((l) => /^\S+\s+\d{4}-\d\d-\d\dT/.test(l)).length,
        episodes,
        "one line per episode",
      );
      const byProfile = (profile: string) =>
        found.filter((t) => t.profile === profile).reduce((n, t) => n + t.episodes.length, 0);
      assert.ok(lines.some((l) => l.startsWith(`raspberry: ${byProfile("raspberry")} episodes;`)));
      assert.ok(lines.some((l) => l.startsWith(`pc: ${byProfile("pc")} episodes;`)));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
