import assert from "node:assert/strict";
import { createFakeClock } from "../../testing/fake_clock.ts";
import { silentLogger } from "../../shared/log.ts";
import { type DiskBufferOptions, openDiskBuffer } from "./disk_buffer.ts";
import { createMemoryLogger } from "../../testing/memory_logger.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `r${from + i}`);

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "disk-buffer-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const open = (dir: string, extra: Partial<DiskBufferOptions> = {}) =>
  openDiskBuffer({ dir, clock: createFakeClock(), log: silentLogger, ...extra });

/** Peeks and commits until the buffer is empty, returning every payload. */
async function drainAll(buffer: Awaited<ReturnType<typeof open>>, batch = 7): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const next = await buffer.peek(batch);
    if (next.records.length === 0) return out;
    out.push(...next.records.map((r) => text(r.payload)));
    await buffer.commit(next);
  }
  throw new Error("the buffer never ran dry");
}

async function segmentFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".seg")) names.push(e.name);
  return names.sort().map((n) => `${dir}/${n}`);
}

Deno.test("openDiskBuffer() hands records out oldest first, once each after commit", async () => {
  await using tmp = await tempDir();
  const buffer = await open(tmp.dir, { segmentBytes: 1024, maxBytes: 1024 * 1024 });
  await buffer.append(numbered(0, 100).map(bytes));
  const first = await buffer.peek(10);
  assert.deepEqual(first.records.map((r) => text(r.payload)), numbered(0, 10));
  const again = await buffer.peek(10);
  assert.deepEqual(again.records.map((r) => text(r.payload)), numbered(0, 10), "not committed yet");
  await buffer.commit(first);
  assert.equal(buffer.size, 90);
  assert.deepEqual(await drainAll(buffer), numbered(10, 100));
  assert.equal(buffer.size, 0);
  assert.equal(buffer.stats().segments, 1, "delivered segments are removed, the active one stays");
  await buffer.close();
});

Deno.test("openDiskBuffer() survives a restart: what was not committed comes back, in order", async () => {
  await using tmp = await tempDir();
  const before = await open(tmp.dir, { segmentBytes: 1024 });
  await before.append(numbered(0, 60).map(bytes));
  await before.commit(await before.peek(25));
  await before.close();
  const after = await open(tmp.dir, { segmentBytes: 1024 });
  assert.equal(after.size, 35);
  await after.append(numbered(60, 70).map(bytes));
  assert.deepEqual(await drainAll(after), numbered(25, 70));
  await after.close();
  const third = await open(tmp.dir);
  assert.equal(third.size, 0, "nothing twice after another restart");
  await third.close();
});

Deno.test("openDiskBuffer() skips a torn last record and never lets it poison the rest", async (t) => {
  await t.step("a power cut in the middle of the last write", async () => {
    await using tmp = await tempDir();
    const buffer = await open(tmp.dir);
    await buffer.append(numbered(0, 5).map(bytes));
    await buffer.close();
    const [segment] = await segmentFiles(tmp.dir);
    const { size } = await Deno.stat(segment!);
    await Deno.truncate(segment!, size - 2);
    const log = createMemoryLogger();
    const reopened = await open(tmp.dir, { log });
    assert.equal(reopened.stats().damaged, 1);
    assert.match(log.lines.join("\n"), /skipped damaged buffer records \(torn write\?\)/);
    await reopened.append([bytes("after restart")]);
    assert.deepEqual(await drainAll(reopened), [...numbered(0, 4), "after restart"]);
    await reopened.close();
  });
  await t.step("a damaged record in the middle: the ones after it survive", async () => {
    await using tmp = await tempDir();
    const buffer = await open(tmp.dir);
    await buffer.append(["first", "second", "third", "fourth"].map(bytes));
    await buffer.close();
    const [segment] = await segmentFiles(tmp.dir);
    const content = await Deno.readFile(segment!);
    const at = new TextDecoder().decode(content).indexOf("second");
    content.set(bytes("SECOND"), at);
    await Deno.writeFile(segment!, content);
    const reopened = await open(tmp.dir);
    assert.deepEqual(await drainAll(reopened), ["first", "third", "fourth"]);
    await reopened.close();
  });
  await t.step("only a header made it to disk", async () => {
    await using tmp = await tempDir();
    const buffer = await open(tmp.dir);
    await buffer.append([bytes("whole")]);
    await buffer.close();
    const [segment] = await segmentFiles(tmp.dir);
    const file = await Deno.open(segment!, { append: true });
    await file.write(new Uint8Array([0x53, 0x57, 0x42, 0x31, 0, 0, 0, 9]));
    file.close();
    const reopened = await open(tmp.dir);
    assert.deepEqual(await drainAll(reopened), ["whole"]);
    await reopened.close();
  });
});

Deno.test("openDiskBuffer() keeps within its byte bound by dropping the oldest, counted", async () => {
  await using tmp = await tempDir();
  const log = createMemoryLogger();
  const buffer = await open(tmp.dir, { maxBytes: 64 * 1024, segmentBytes: 4096, log });
  const payload = (i: number) => bytes(`r${i}:`.padEnd(1000, "x"));
  for (let i = 0; i < 300; i++) await buffer.append([payload(i)]);
  const { bytes: onDisk, dropped, records } = buffer.stats();
  assert.ok(onDisk <= 64 * 1024, `${onDisk} bytes on disk`);
  assert.equal(records + dropped, 300);
  assert.ok(dropped > 200, `dropped ${dropped}`);
  const kept = (await drainAll(buffer)).map((p) => Number(p.slice(1, p.indexOf(":"))));
  assert.deepEqual(
    kept,
    Array.from({ length: records }, (_, i) => 300 - records + i),
    "the newest",
  );
  const lines = log.lines.filter((l) => /buffer full: dropped the oldest/.test(l));
  assert.ok(
    lines.length > 0 && lines.length < 100,
    "one line per dropped segment, not per reading",
  );
  await buffer.close();
});

Deno.test("openDiskBuffer() drops records older than its age bound", async () => {
  await using tmp = await tempDir();
  const clock = createFakeClock();
  const day = 24 * 3600 * 1000;
  const buffer = await open(tmp.dir, { clock, maxAgeMs: 7 * day, segmentBytes: 1024 });
  await buffer.append(numbered(0, 30).map(bytes));
  await clock.advance(6 * day);
  await buffer.append(numbered(30, 40).map(bytes));
  await clock.advance(2 * day);
  assert.deepEqual(await drainAll(buffer), numbered(30, 40));
  assert.equal(buffer.stats().dropped, 30);
  await buffer.close();
});

Deno.test("openDiskBuffer() replays everything when its cursor file is damaged", async () => {
  await using tmp = await tempDir();
  const buffer = await open(tmp.dir);
  await buffer.append(numbered(0, 3).map(bytes));
  await buffer.close();
  await Deno.writeTextFile(`${tmp.dir}/cursor`, "{not json");
  const log = createMemoryLogger();
  const reopened = await open(tmp.dir, { log });
  assert.deepEqual(await drainAll(reopened), numbered(0, 3));
  assert.match(log.lines.join("\n"), /buffer cursor is damaged/);
  await reopened.close();
});

Deno.test("openDiskBuffer() checks its options", async (t) => {
  await using tmp = await tempDir();
  await t.step("maxBytes", async () => {
    await assert.rejects(
      open(tmp.dir, { maxBytes: 10 }),
      /'maxBytes' must be at least 65536, got 10/,
    );
  });
  await t.step("maxAgeMs", async () => {
    await assert.rejects(open(tmp.dir, { maxAgeMs: 0 }), /'maxAgeMs' must be at least 1000, got 0/);
  });
  await t.step("segmentBytes", async () => {
    await assert.rejects(
      open(tmp.dir, { maxBytes: 65536, segmentBytes: 65536 }),
      /'segmentBytes' must be from 1024 to maxBytes \/ 2 \(32768\), got 65536/,
    );
  });
});
