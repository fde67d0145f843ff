import assert from "node:assert/strict";
import { createMemoryLogger } from "../../testing/memory_logger.ts";
import { CommandError } from "./command_error.ts";
import {
  ONE_KEYPRESS_MS,
  runUntilSignal,
  type Service,
  type SignalProcess,
} from "./run_until_signal.ts";

/** A process whose signals the test sends, and whose exit it records. */
function aProcess() {
  const listeners = new Map<Deno.Signal, Set<() => void>>();
  const exits: number[] = [];
  const process: SignalProcess = {
    addSignalListener: (signal, listener) => {
      listeners.set(signal, (listeners.get(signal) ?? new Set()).add(listener));
    },
    removeSignalListener: (signal, listener) => void listeners.get(signal)?.delete(listener),
    exit: (code) => void exits.push(code),
  };
  return {
    process,
    exits,
    send: (signal: Deno.Signal) => listeners.get(signal)?.forEach((listener) => listener()),
    listening: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

/** A service whose stop the test finishes when it wants. */
function aService(done?: Promise<void>) {
  const stopped = Promise.withResolvers<void>();
  let stops = 0;
  const service: Service = {
    stop: () => {
      stops++;
      return stopped.promise;
    },
    done,
  };
  return { service, finishStop: () => stopped.resolve(), stops: () => stops };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("runUntilSignal() stops cleanly on the first signal and removes its listeners only after the stop", async () => {
  const p = aProcess();
  const s = aService();
  const log = createMemoryLogger();
  const exit = runUntilSignal(() => Promise.resolve(s.service), { log, process: p.process });
  await tick();
  assert.equal(p.listening(), 2, "SIGINT and SIGTERM");
  p.send("SIGTERM");
  await tick();
  assert.equal(s.stops(), 1);
  assert.equal(p.listening(), 2, "still listening while the stop runs");
  s.finishStop();
  assert.equal(await exit, 0);
  assert.equal(p.listening(), 0);
  assert.deepEqual(p.exits, []);
  assert.match(log.lines.join("\n"), /info {2}stopping signal=SIGTERM\n.*info {2}stopped$/);
});

Deno.test("runUntilSignal() ignores a second signal during the stop and quits at once on a third", async (t) => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    await t.step(`${signal}: exit ${code} on the third`, async () => {
      const p = aProcess();
      const s = aService();
      const log = createMemoryLogger();
      let clock = 0;
      const exit = runUntilSignal(() => Promise.resolve(s.service), {
        log,
        process: p.process,
        now: () => clock,
      });
      await tick();
      p.send(signal);
      p.send(signal);
      await tick();
      assert.equal(s.stops(), 1, "one clean stop");
      assert.deepEqual(p.exits, [], "the second signal is ignored");
      assert.match(
        log.lines.at(-1)!,
        new RegExp(`warn {2}${signal} again: still stopping cleanly`),
      );
      clock += ONE_KEYPRESS_MS;
      p.send(signal);
      assert.deepEqual(p.exits, [code]);
      assert.match(log.lines.at(-1)!, /error {1}.* a third time: quitting without finishing/);
      s.finishStop();
      assert.equal(await exit, 0);
    });
  }
});

Deno.test("runUntilSignal() takes three signals within a few milliseconds for one Ctrl-C, and quits on a later one", async () => {
  const p = aProcess();
  const s = aService();
  const log = createMemoryLogger();
  let clock = 1_000;
  const exit = runUntilSignal(() => Promise.resolve(s.service), {
    log,
    process: p.process,
    now: () => clock,
  });
  await tick();
  // The terminal's SIGINT to the process group, and deno task forwarding it (twice, at times).
  p.send("SIGINT");
  clock += 1;
  p.send("SIGINT");
  clock += 1;
  p.send("SIGINT");
  await tick();
  assert.deepEqual(p.exits, [], "one key press: still stopping cleanly");
  assert.equal(s.stops(), 1);
  clock += ONE_KEYPRESS_MS;
  p.send("SIGINT");
  assert.deepEqual(p.exits, [130], "a key press of its own quits at once");
  s.finishStop();
  assert.equal(await exit, 0);
});

Deno.test("runUntilSignal() stops right after the start when a signal came during it", async () => {
  const p = aProcess();
  const s = aService();
  const started = Promise.withResolvers<Service>();
  const exit = runUntilSignal(() => started.promise, {
    log: createMemoryLogger(),
    process: p.process,
  });
  p.send("SIGINT");
  started.resolve(s.service);
  await tick();
  assert.equal(s.stops(), 1);
  s.finishStop();
  assert.equal(await exit, 0);
});

Deno.test("runUntilSignal() says in one line why it cannot start, naming the setting", async () => {
  const p = aProcess();
  const log = createMemoryLogger();
  const code = await runUntilSignal(
    () => Promise.reject(new CommandError("PORT 8000 on 127.0.0.1 is in use: set PORT")),
    { log, process: p.process },
  );
  assert.equal(code, 1);
  assert.deepEqual(log.lines.map((l) => l.slice(25)), [
    "error cannot start: PORT 8000 on 127.0.0.1 is in use: set PORT",
  ]);
  assert.equal(p.listening(), 0);
});

Deno.test("runUntilSignal() names DATA_DIR when the store is outside the permissions (exit 2)", async () => {
  const log = createMemoryLogger();
  const code = await runUntilSignal(
    () =>
      Promise.reject(
        new Deno.errors.NotCapable(
          'Requires write access to "/srv/sw", run again with the --allow-write flag',
        ),
      ),
    { log, settings: { DATA_DIR: "/srv/sw", PORT: 8000 }, process: aProcess().process },
  );
  assert.equal(code, 2);
  assert.match(log.lines[0]!, /cannot start: DATA_DIR is '\/srv\/sw'.*--allow-write=\/srv\/sw/);
});

Deno.test("runUntilSignal() stops a service that failed by itself and exits 1", async () => {
  const p = aProcess();
  const failed = Promise.withResolvers<void>();
  const s = aService(failed.promise);
  const log = createMemoryLogger();
  const exit = runUntilSignal(() => Promise.resolve(s.service), { log, process: p.process });
  failed.reject(new Error("the group was left"));
  await tick();
  assert.equal(s.stops(), 1);
  s.finishStop();
  assert.equal(await exit, 1);
  assert.match(log.lines[0]!, /error failed: the group was left$/);
});

Deno.test("runUntilSignal() gives the exit code of a command that ran whole, watching the stop itself", async () => {
  const p = aProcess();
  const exit = runUntilSignal(async (stop) => {
    await new Promise((resolve) => stop.addEventListener("abort", resolve));
    return 0;
  }, { log: createMemoryLogger(), process: p.process });
  await tick();
  p.send("SIGINT");
  assert.equal(await exit, 0);
  assert.equal(p.listening(), 0);
});

Deno.test("runUntilSignal() exits 1 when the stop fails, saying so", async () => {
  const log = createMemoryLogger();
  const p = aProcess();
  const exit = runUntilSignal(
    () => Promise.resolve({ stop: () => Promise.reject(new Error("store busy")) }),
    { log, process: p.process },
  );
  await tick();
  p.send("SIGINT");
  assert.equal(await exit, 1);
  assert.ok(log.lines.some((l) => /error cannot stop cleanly: store busy$/.test(l)), log.lines[0]);
  assert.equal(p.listening(), 0);
});
