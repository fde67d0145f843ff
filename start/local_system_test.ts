import assert from "node:assert/strict";
import { parseEnv } from "../shared/config/parse_env.ts";
import type { SensorSource } from "../shared/sensors/sensor_source.ts";
import { silentLogger } from "../shared/log.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { deviceNameFromHost } from "../producer/sensors_env.ts";
import { startLocalSystem } from "./local_system.ts";
import { StartConfigSchema } from "./start_config.ts";

/** Polls `url` until `check` accepts the JSON body; fails after `attempts` × 100 ms. */
async function pollJson(
  url: string,
  check: (body: unknown) => boolean,
  attempts = 150,
): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const res = await fetch(url);
    last = await res.json();
    if (res.ok && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} never answered as expected; last body: ${JSON.stringify(last)}`);
}

interface DeviceList {
  items: { device: string; readings: number; profile: string }[];
}

Deno.test("deno task start's system samples this machine and serves its readings through the API", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-e2e-" });
  const device = deviceNameFromHost(Deno.hostname());
  const config = parseEnv(StartConfigSchema, { PORT: "0", DATA_DIR: dataDir });
  try {
    const system = await startLocalSystem({ config, device, log: silentLogger });
    let firstUuid: string;
    try {
      const devices = await pollJson(
        `${system.url}/v1/devices`,
        (body) => (body as DeviceList).items.some((d) => d.device === device && d.readings >= 1),
      ) as DeviceList;
      assert.equal(devices.items.find((d) => d.device === device)?.profile, "pc");
      const page = await (await fetch(`${system.url}/v1/devices/${device}/readings?limit=1`))
        .json();
      assert.equal(page.items.length, 1);
      const reading = page.items[0];
      firstUuid = reading.uuid;
      assert.equal(reading.device, device);
      assert.match(reading.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // A sensor this machine lacks is absent or null, never a made-up 0.
      for (const field of ["TemperatureCPUPackage", "PowerCPUPackage", "ClockCPUCoreOne"]) {
        assert.notEqual(reading[field], 0, `${field} is not a made-up 0`);
      }
      const status = await (await fetch(`${system.url}/v1/devices/${device}/status`)).json();
      assert.equal(status.reading.device, device);
      assert.ok(status.prediction.probability >= 0 && status.prediction.probability <= 1);
      const docs = await fetch(`${system.url}/docs`);
      assert.equal(docs.status, 200);
      await docs.body?.cancel();
    } finally {
      await system.stop();
    }

    // The data survives a restart.
    const again = await startLocalSystem({ config, device, log: silentLogger });
    try {
      const page = await (await fetch(`${again.url}/v1/devices/${device}/readings?limit=1000`))
        .json();
      assert.ok(
        page.items.some((r: { uuid: string }) => r.uuid === firstUuid),
        "the first run's reading is still there",
      );
    } finally {
      await again.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("startLocalSystem() says which port is taken", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-port-" });
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const config = parseEnv(StartConfigSchema, {
      PORT: String(blocker.addr.port),
      DATA_DIR: dataDir,
    });
    await assert.rejects(
      startLocalSystem({ config, device: "x", log: silentLogger }),
      new RegExp(`PORT ${blocker.addr.port} on 127.0.0.1 is in use: .* set PORT`),
    );
  } finally {
    blocker.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("startLocalSystem() closes everything it opened when a late part fails to start", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-fail-" });
  const blocker = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = blocker.addr.port;
  blocker.close(); // a free port, to see it freed again
  const log = createMemoryLogger("info");
  try {
    const config = parseEnv(StartConfigSchema, { PORT: String(port), DATA_DIR: dataDir });
    const broken: SensorSource = {
      profile: "pc",
      inventory: () => Promise.reject(new Error("the sensors vanished")),
      sample: () => Promise.reject(new Error("never sampled")),
    };
    // The sensors fail after the store, the server, the models and the consumer started.
    await assert.rejects(
      startLocalSystem({ config, device: "pc1", log, sensors: broken }),
      /the sensors vanished/,
    );
    assert.ok(log.lines.some((l) => /consumer stopped/.test(l)), "the consumer was stopped");
    const listener = Deno.listen({ hostname: "127.0.0.1", port }); // the server let go of the port
    listener.close();
    await assert.rejects(Deno.stat(`${dataDir}/monitor.kv.lock`), Deno.errors.NotFound);
    const again = await startLocalSystem({ config, device: "pc1", log: silentLogger });
    await again.stop(); // the store and its lock were closed: it opens again
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("startLocalSystem() refuses a store another system holds, naming its pid", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-lock-" });
  try {
    const config = parseEnv(StartConfigSchema, { PORT: "0", DATA_DIR: dataDir });
    const first = await startLocalSystem({ config, device: "pc1", log: silentLogger });
    try {
      await assert.rejects(
        startLocalSystem({ config, device: "pc1", log: silentLogger }),
        new RegExp(`monitor\\.kv is in use by pid ${Deno.pid} `),
      );
    } finally {
      await first.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("startLocalSystem() beyond loopback without API_TOKEN refuses before opening anything", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "monitor-token-" });
  try {
    const config = parseEnv(StartConfigSchema, { HOST: "0.0.0.0", PORT: "0", DATA_DIR: dataDir });
    await assert.rejects(
      startLocalSystem({ config, device: "pc1", log: silentLogger }),
      /HOST 0\.0\.0\.0 listens beyond this machine and API_TOKEN is not set: set API_TOKEN/,
    );
    assert.deepEqual([...Deno.readDirSync(dataDir)], [], "no store was made");
    const withToken = parseEnv(StartConfigSchema, {
      HOST: "0.0.0.0",
      PORT: "0",
      DATA_DIR: dataDir,
      API_TOKEN: "start-token-0123456789",
    });
    const system = await startLocalSystem({ config: withToken, device: "pc1", log: silentLogger });
    try {
      const port = new URL(system.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/v1/devices`);
      assert.equal(res.status, 401);
      await res.body?.cancel();
    } finally {
      await system.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
