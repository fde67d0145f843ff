import { createApi } from "../api/create_api.ts";
import { createTelegramService } from "../bot/telegram_service.ts";
import { accessOf, apiTokenProblem, cursorSecretOf } from "../api/serve_config.ts";
import { STATUS_PAGE_PUBLIC_PATHS } from "../api/create_service.ts";
import { createStatusPageApp } from "../api/status_page/create_status_page_app.tsx";
import { createConsumer } from "../consumer/create_consumer.ts";
import { createPipeline } from "../consumer/create_pipeline.ts";
import { createStoreDeadLetterSink } from "../consumer/dead_letter_sink.ts";
import { createModelScorer } from "../consumer/model_scorer.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import { fleet } from "../models/simulate/simulate_fleet.ts";
import { createSimulatedSensors } from "../models/simulate/simulated_sensors.ts";
import { createAgent, formatInventory } from "../producer/create_agent.ts";
import { createCommandRunner } from "../producer/sensors/command_runner.ts";
import { detectSensorSource } from "../producer/sensors/detect_sensor_source.ts";
import type { SensorSource } from "../shared/sensors/sensor_source.ts";
import { type Clock, systemClock } from "../shared/clock.ts";
import { pipelineOptionsFrom } from "../consumer/pipeline_options.ts";
import { createCloseStack } from "../shared/entry_point/close_stack.ts";
import { CommandError } from "../shared/entry_point/command_error.ts";
import { EXIT } from "../shared/entry_point/exit_codes.ts";
import { serveHttp } from "../shared/entry_point/serve_http.ts";
import type { Logger } from "../shared/log.ts";
import { createFolderModelRegistry } from "../shared/models/folder_model_registry.ts";
import { openNotifier } from "../shared/notifier/open_notifier.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { kvPathOf } from "../shared/config/store_env.ts";
import { openStore } from "../shared/store/open_store.ts";
import { storeKind, storeWhere } from "../shared/store/store_config.ts";
import type { Store } from "../shared/store/store.ts";
import { lockStore } from "../shared/store/store_lock.ts";
import { createInProcessTransport } from "../shared/transport/in_process_transport.ts";
import type { StartConfig } from "./start_config.ts";

export interface LocalSystemDeps {
  config: StartConfig;
  /** This machine's device name. */
  device: string;
  log: Logger;
  clock?: Clock;
  /** This machine's sensors; detected under `SENSORS_ROOT` (a PC's or a Pi's) by default. */
  sensors?: SensorSource;
  /** Scores readings; by default the models in MODELS_DIR (hot-reloaded), the rule where none fits. */
  scorer?: Scorer;
  /** Simulated devices to add beside this machine (`--simulate N`), flagged simulated everywhere. */
  simulate?: number;
}

export interface LocalSystem {
  /** Where the API listens, e.g. `http://127.0.0.1:8000`. */
  url: string;
  store: Store;
  /** Stops sampling, finishes the batch in hand, closes the server and the store (everything opened, last first). */
  stop(): Promise<void>;
}

/**
 * The whole system in one process with embedded adapters: this machine's
 * sensors (and `simulate` simulated devices) sampled by the producer agent,
 * the in-process transport, the consumer pipeline scoring with the models in
 * MODELS_DIR, the store `openStore()` names (the Deno KV file by default,
 * locked for this process: a second system on the same store refuses to
 * start; DynamoDB with `DYNAMODB_TABLE`), alerts in the log or, with
 * `TELEGRAM_BOT_TOKEN`, sent to Telegram through the outbox, and the API. Whatever fails part-way
 * through the start, everything opened so far is closed again, last first.
 */
export async function startLocalSystem(deps: LocalSystemDeps): Promise<LocalSystem> {
  const { config, device, log } = deps;
  const clock = deps.clock ?? systemClock;
  const where = storeWhere(config);
  const tokenProblem = apiTokenProblem(config, config.HOST);
  if (tokenProblem !== null) throw new CommandError(tokenProblem, EXIT.usage);
  const opened = createCloseStack(log);
  try {
    if (storeKind(config) === "kv") {
      const lock = await lockStore(kvPathOf(config));
      opened.defer("store lock", () => lock.release());
    }
    const { store } = await openStore(config);
    opened.defer("store", () => store.close());
    const transport = createInProcessTransport({ clock, log: log.child("transport") });
    opened.defer("transport", () => transport.close());
    const models = deps.scorer ? null : createModelScorer({
      registry: createFolderModelRegistry({ dir: config.MODELS_DIR }),
      clock,
      log: log.child("models"),
      checkIntervalS: config.MODEL_CHECK_INTERVAL_S,
    });
    const notifier = openNotifier(config, { store, clock, log: log.child("alerts") });
    const pipeline = createPipeline({
      store,
      scorer: deps.scorer ?? models!,
      notifier: notifier.notifier,
      deadLetters: createStoreDeadLetterSink(store),
      clock,
      log: log.child("consumer"),
      options: pipelineOptionsFrom(config),
    });
    const consumer = createConsumer({
      transport,
      pipeline,
      subscribe: { topics: [], topicPattern: /.*/, groupId: "local" },
      log: log.child("consumer"),
    });
    const root = config.SENSORS_ROOT;
    const sensors = deps.sensors ??
      await detectSensorSource({
        root,
        run: createCommandRunner({ root }),
        log: log.child("sensors"),
      });
    const deliver = (reading: Reading) =>
      transport.send([{
        topic: reading.device,
        key: reading.device,
        value: encodeReading(reading),
      }]);
    const agent = createAgent({
      sensors,
      device,
      intervalMs: config.SAMPLE_INTERVAL_S * 1000,
      clock,
      log: log.child("producer"),
      deliver,
    });
    // The first pc and the first Pi are demo devices that heat up within minutes.
    const specs = deps.simulate ? fleet({ devices: deps.simulate, seed: 1 }) : [];
    const simulated = specs.map((spec, i) =>
      createAgent({
        sensors: createSimulatedSensors(spec, { clock, demo: i < 2 }),
        device: spec.name,
        intervalMs: config.SAMPLE_INTERVAL_S * 1000,
        clock,
        log: log.child(spec.name),
        deliver,
        simulated: true,
      })
    );

    const api = createApi({
      store,
      log: log.child("api"),
      clock,
      access: accessOf(config, config.HOST),
      cursorSecret: cursorSecretOf(config),
      statusPage: {
        app: createStatusPageApp({
          store,
          apiToken: config.API_TOKEN ?? null,
          timeZone: config.TZ,
          hotLimits: config.HOT_LIMITS,
          clock,
        }),
        publicPaths: STATUS_PAGE_PUBLIC_PATHS,
      },
    });
    const server = serveHttp(config, api.fetch);
    opened.defer("API server", () => server.shutdown());
    // Each is deferred before its start, so a start that fails half-way is stopped too.
    if (models) {
      opened.defer("models", () => models.stop());
      await models.start();
    }
    // Stopped after the consumer, so the alerts of its last batch are woken for.
    opened.defer("alert sender", () => notifier.stop());
    notifier.start();
    opened.defer("consumer", () => consumer.stop());
    await consumer.start();
    opened.defer("sampling of this machine", () => agent.stop());
    const inventory = await agent.start();
    for (const [i, sim] of simulated.entries()) {
      opened.defer(`sampling of ${specs[i]!.name}`, () => sim.stop());
      await sim.start();
    }
    // The bot polls (no public URL at home) and stops first, before the store it reads.
    const telegram = createTelegramService({
      config: { ...config, TELEGRAM_MODE: "polling", TELEGRAM_WEBHOOK_SECRET: undefined },
      store,
      log: log.child("bot"),
      clock,
      hotLimits: config.HOT_LIMITS,
    });
    if (telegram) {
      opened.defer("Telegram bot", () => telegram.stop());
      await telegram.start();
    }
    log.info(formatInventory(device, sensors.profile, inventory));
    log.info("started", {
      device,
      simulated: simulated.length || undefined,
      models: models
        ? models.models().map((m) => m.name).join(",") || "none (the rule)"
        : undefined,
      data: where,
      alerts: notifier.kind === "telegram" ? "Telegram" : "the log",
      api: `${server.url}/v1`,
      swagger: `${server.url}/docs`,
      bot: telegram ? "polling Telegram" : undefined,
    });
    return { url: server.url, store, stop: () => opened.close() };
  } catch (error) {
    // Everything opened so far is closed, last first; a failure to close is logged, the cause thrown.
    await opened.close().catch(() => {});
    throw error;
  }
}
