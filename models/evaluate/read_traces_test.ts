import assert from "node:assert/strict";
import { aPcHeatUp } from "../../testing/a_heat_up.ts";
import { aRaspberryReading, later } from "../../testing/a_reading.ts";
import { InvalidTraceFolderError, readTraceFolder } from "./read_traces.ts";

/** A temporary folder with `files` (name -> text), removed after `fn`. */
async function withFolder(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const jsonl = (readings: readonly object[]) => readings.map((r) => JSON.stringify(r)).join("\n");
const pi = aRaspberryReading({ device: "pi3" });
const PI_TRACE = jsonl([pi, later(pi, 5), later(pi, 10)]);

Deno.test("readTraceFolder() reads each recording with its sidecar's hot limit, by device name", async () => {
  await withFolder({
    "ryzen.jsonl": jsonl(aPcHeatUp({ device: "ryzen" })) + "\n{not json\n",
    "ryzen.json": JSON.stringify({
      device: "ryzen",
      profile: "pc",
      hot_limit_c: 84.5,
      hardware: "AMD Ryzen 7 2700X",
      stats: { readings: 120 },
    }),
    "pi3.jsonl": PI_TRACE,
    "pi3.json": JSON.stringify({ device: "pi3", profile: "raspberry", hot_limit_c: 80 }),
    "README.md": "not a recording",
  }, async (dir) => {
    const lines: string[] = [];
    const traces = await readTraceFolder(dir, { onProgress: (l) => lines.push(l) });
    assert.deepEqual(
      traces.map((t) => [t.device, t.profile, t.hotLimitC, t.hotLimitFrom, t.readings.length]),
      [["pi3", "raspberry", 80, "sidecar", 3], ["ryzen", "pc", 84.5, "sidecar", 120]],
    );
    assert.equal(traces[1]!.hardware, "AMD Ryzen 7 2700X");
    assert.deepEqual(
      traces[1]!.refused.map((r) => r.line),
      [121],
      "a bad line is refused by number",
    );
    assert.ok(
      lines.some((l) => /ryzen\.jsonl: 120 readings, 1 refused, hot limit 84\.5 °C/.test(l)),
    );
  });
});

Deno.test("readTraceFolder() lets a given hot limit override the sidecar's", async () => {
  await withFolder({
    "pi3.jsonl": PI_TRACE,
    "pi3.json": JSON.stringify({ device: "pi3", profile: "raspberry", hot_limit_c: 80 }),
  }, async (dir) => {
    const [trace] = await readTraceFolder(dir, { hotLimits: { pi3: 60, other: 70 } });
    assert.equal(trace!.hotLimitC, 60);
    assert.equal(trace!.hotLimitFrom, "option");
  });
});

Deno.test("readTraceFolder() says what is wrong with a folder or a sidecar", async (t) => {
  const refuses = (files: Record<string, string>, message: RegExp) =>
    withFolder(files, async (dir) => {
      await assert.rejects(readTraceFolder(dir), (error: Error) => {
        assert.ok(error instanceof InvalidTraceFolderError);
        assert.match(error.message, message);
        return true;
      });
    });
  await t.step("no folder", async () => {
    await assert.rejects(
      readTraceFolder("/nonexistent/traces"),
      /\/nonexistent\/traces is not a folder/,
    );
  });
  await t.step("no recording", () => refuses({ "a.txt": "" }, /has no <device>\.jsonl recordings/));
  await t.step(
    "no sidecar",
    () =>
      refuses(
        { "pi3.jsonl": PI_TRACE },
        /pi3\.json is missing: each <device>\.jsonl needs a sidecar/,
      ),
  );
  await t.step("a sidecar without a hot limit", () =>
    refuses(
      {
        "pi3.jsonl": PI_TRACE,
        "pi3.json": JSON.stringify({ device: "pi3", profile: "raspberry" }),
      },
      /pi3\.json: hot_limit_c must be a number of °C/,
    ));
  await t.step(
    "a sidecar that is not JSON",
    () => refuses({ "pi3.jsonl": PI_TRACE, "pi3.json": "{" }, /pi3\.json is not JSON/),
  );
  await t.step("readings of another device", () =>
    refuses(
      {
        "pi3.jsonl": PI_TRACE,
        "pi3.json": JSON.stringify({ device: "pi4", profile: "raspberry", hot_limit_c: 80 }),
      },
      /has readings of pi3 \(raspberry\), its sidecar names pi4 \(raspberry\): one device per recording/,
    ));
});
