import assert from "node:assert/strict";
import { createFakeClock, type FakeClock } from "../testing/fake_clock.ts";
import { type Logger, silentLogger } from "../shared/log.ts";
import type { OutgoingMessage } from "../shared/transport/transport.ts";
import { openDiskBuffer } from "./buffer/disk_buffer.ts";
import { createBufferedDelivery, type MessageSender } from "./buffered_delivery.ts";
import { createAgent } from "./create_agent.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";

/** A sender that fails on demand: the broker's stand-in (not a user-facing part). */
function aFlakySender() {
  const sent: string[] = [];
  let calls = 0;
  const sender = {
    down: false,
    /** When set, sends wait for this promise before answering. */
    hold: null as Promise<void> | null,
    sent,
    get calls() {
      return calls;
    },
    async send(messages: readonly OutgoingMessage[]) {
      calls++;
      if (sender.hold) await sender.hold;
      if (sender.down) throw new Error("connect ECONNREFUSED 127.0.0.1:9092");
      sent.push(...messages.map((m) => new TextDecoder().decode(m.value)));
    },
  };
  return sender satisfies MessageSender;
}

const message = (value: string): OutgoingMessage => ({
  topic: "pi4",
  key: "pi4",
  value: new TextEncoder().encode(value),
});
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `r${from + i}`);

async function setUp(extra: { dir?: string; log?: Logger; clock?: FakeClock } = {}) {
  const dir = extra.dir ?? (await Deno.makeTempDir({ prefix: "delivery-" }));
  const clock = extra.clock ?? createFakeClock();
  const buffer = await openDiskBuffer({ dir, clock, log: silentLogger, segmentBytes: 2048 });
  const sender = aFlakySender();
  const delivery = createBufferedDelivery({
    sender,
    buffer,
    clock,
    log: extra.log ?? silentLogger,
    batchSize: 10,
    retryMinMs: 1000,
    retryMaxMs: 8000,
  });
  return {
    dir,
    clock,
    buffer,
    sender,
    delivery,
    /** Moves the fake clock until the replay caught up (bounded). */
    async untilCaughtUp() {
      let done = false;
      delivery.caughtUp().then(() => (done = true));
      for (let i = 0; i < 200 && !done; i++) await clock.advance(1000);
      assert.ok(done, `not caught up: ${JSON.stringify(delivery.stats())}`);
    },
    async [Symbol.asyncDispose]() {
      await delivery.close();
      await buffer.close();
      if (!extra.dir) await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("createBufferedDelivery() buffers while the broker is down and then delivers all, in order, none twice", async () => {
  const log = createMemoryLogger();
  await using s = await setUp({ log });
  for (const v of numbered(0, 3)) assert.equal(await s.delivery.deliver(message(v)), "sent");
  s.sender.down = true;
  for (const v of numbered(3, 53)) assert.equal(await s.delivery.deliver(message(v)), "buffered");
  assert.deepEqual(s.delivery.stats(), {
    mode: "backlog",
    sent: 3,
    buffered: 50,
    replayed: 0,
    backlog: 50,
  });
  await s.clock.advance(5000); // replay attempts fail meanwhile
  s.sender.down = false;
  await s.untilCaughtUp();
  assert.deepEqual(s.sender.sent, numbered(0, 53));
  assert.equal(await s.delivery.deliver(message("r53")), "sent", "live again");
  assert.equal(s.delivery.stats().replayed, 50);
  const events = log.lines.map((l) => l.replace(/^\S+ \w+\s+/, "").replace(/ .*/, ""));
  assert.deepEqual(
    log.lines.map((l) => /(broker unreachable|still unreachable|replaying|caught up)/.exec(l)?.[1]),
    ["broker unreachable", "still unreachable", "replaying", "caught up"],
    `one line per event, got ${events.join(", ")}`,
  );
});

Deno.test("createBufferedDelivery() queues new readings behind the backlog while it replays", async () => {
  await using s = await setUp();
  s.sender.down = true;
  for (const v of numbered(0, 30)) await s.delivery.deliver(message(v));
  s.sender.down = false;
  let release!: () => void;
  s.sender.hold = new Promise((resolve) => (release = resolve));
  await s.clock.advance(1000); // the replay's first batch is now waiting on the broker
  const late = numbered(30, 35).map((v) => s.delivery.deliver(message(v)));
  s.sender.hold = null;
  release();
  assert.deepEqual(await Promise.all(late), Array(5).fill("buffered"));
  await s.untilCaughtUp();
  assert.deepEqual(s.sender.sent, numbered(0, 35));
});

Deno.test("createBufferedDelivery() replays what an earlier run buffered before sending live", async () => {
  const dir = await Deno.makeTempDir({ prefix: "delivery-restart-" });
  try {
    {
      await using first = await setUp({ dir });
      first.sender.down = true;
      for (const v of numbered(0, 20)) await first.delivery.deliver(message(v));
    }
    const log = createMemoryLogger();
    await using second = await setUp({ dir, log });
    assert.equal(second.delivery.stats().mode, "backlog");
    const next = second.delivery.deliver(message("r20"));
    await second.untilCaughtUp();
    await next;
    assert.deepEqual(second.sender.sent, numbered(0, 21));
    assert.match(log.lines[0]!, /buffered by an earlier run will be replayed backlog=20/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createBufferedDelivery() backs off between replay attempts while the broker stays away", async () => {
  await using s = await setUp();
  s.sender.down = true;
  await s.delivery.deliver(message("r0"));
  // An attempt reads the buffer from disk before it sends: count calls only once the replay
  // waits for its next attempt again, however slow the disk is today.
  const waiting = () =>
    waitUntil(() => s.clock.pending > 0, { what: "the replay to wait for its next attempt" });
  await waiting();
  const callsAt = [] as number[];
  for (let second = 0; second < 30; second++) {
    await s.clock.advance(1000);
    await waiting();
    callsAt.push(s.sender.calls);
  }
  // 1 live send, then replays after 1, 2, 4, 8, 8, 8 s...
  assert.deepEqual([callsAt[0], callsAt[2], callsAt[6], callsAt[14], callsAt[22]], [3, 4, 5, 6, 7]);
});

Deno.test("createBufferedDelivery() close() finishes the send in flight, into the buffer if it fails", async () => {
  await using s = await setUp();
  let release!: () => void;
  s.sender.hold = new Promise((resolve) => (release = resolve));
  const inFlight = s.delivery.deliver(message("r0"));
  await s.clock.advance(0);
  const closing = s.delivery.close();
  s.sender.down = true;
  release();
  await closing;
  assert.equal(await inFlight, "buffered");
  assert.equal(s.buffer.size, 1, "kept for the next start");
  await assert.rejects(s.delivery.deliver(message("r1")), /the delivery is closed/);
});

Deno.test("createBufferedDelivery() checks its options", async () => {
  await using s = await setUp();
  assert.throws(
    () =>
      createBufferedDelivery({
        sender: s.sender,
        buffer: s.buffer,
        clock: s.clock,
        log: silentLogger,
        batchSize: 0,
      }),
    /'batchSize' must be a whole number of at least 1, got 0/,
  );
});

Deno.test("a slow broker never makes the sampling rhythm drift or pile up samples", async () => {
  const clock = createFakeClock();
  await using s = await setUp({ clock });
  const slow: MessageSender = {
    async send(messages) {
      await clock.sleep(2500); // each acknowledgement takes 2.5 intervals
      await s.sender.send(messages);
    },
  };
  const delivery = createBufferedDelivery({
    sender: slow,
    buffer: s.buffer,
    clock,
    log: silentLogger,
  });
  const stamps: number[] = [];
  const agent = createAgent({
    sensors: {
      profile: "pc",
      inventory: () => Promise.resolve([]),
      sample: () => Promise.resolve({ LoadCPUTotal: 1 }),
    },
    device: "pc1",
    intervalMs: 1000,
    clock,
    log: silentLogger,
    deliver: async (reading) => {
      stamps.push(Date.parse(reading.timestamp));
      await delivery.deliver(message(reading.uuid));
    },
  });
  await agent.start();
  await clock.advance(10_000);
  const samplingStats = agent.stats();
  await Promise.all([
    agent.stop(),
    (async () => {
      for (let i = 0; i < 40; i++) await clock.advance(1000);
    })(),
  ]);
  await delivery.close();
  assert.deepEqual(
    stamps.map((t) => t - stamps[0]!),
    Array.from({ length: 11 }, (_, i) => i * 1000),
  );
  assert.equal(samplingStats.skipped, 0);
  assert.equal(s.sender.sent.length, 11, "every reading reached the broker, in the end");
});
