import assert from "node:assert/strict";
import { limitsFor } from "../shared/scoring/stressed.ts";
import { publishModel } from "../shared/models/publish_model.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { createS3ModelRegistry } from "../shared/models/s3_model_registry.ts";
import type { ModelFiles } from "../shared/models/model_registry.ts";
import { aLogisticModel, aModelFiles } from "../testing/a_model.ts";
import { aPcReading } from "../testing/a_reading.ts";
import { motoPeer, startMoto } from "../testing/moto/start_moto.ts";
import { createModelScorer } from "./model_scorer.ts";

const moto = await motoPeer();

Deno.test({
  name:
    "createModelScorer() picks up a model published to S3 without a restart, downloading only on change",
  ignore: moto.ignore,
  fn: async () => {
    await using s3 = await startMoto();
    await s3.createBucket("live-models");
    const client = s3.client();
    const commands: string[] = [];
    client.middlewareStack.add((next, context) => (args) => {
      commands.push(context.commandName as string);
      return next(args);
    }, { step: "initialize", name: "countCommands" });
    const dir = await Deno.makeTempDir();
    const publish = async (files: ModelFiles) => {
      await Deno.writeFile(`${dir}/pc.onnx`, files.onnx);
      await Deno.writeTextFile(`${dir}/pc.json`, JSON.stringify(files.metadata));
      await publishModel({ client, bucket: "live-models", prefix: "models/" }, { dir, name: "pc" });
    };
    const clock = createFakeClock();
    const scorer = createModelScorer({
      registry: createS3ModelRegistry({ client, bucket: "live-models", prefix: "models/" }),
      clock,
      log: createMemoryLogger(),
      checkIntervalS: 60,
    });
    const input = {
      device: "pc1",
      profile: "pc" as const,
      window: Array.from(
        { length: 4 },
        (_, i) =>
          aPcReading({
            TemperatureCPUPackage: 80,
            timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i * 5)).toISOString(),
          }),
      ),
      limits: limitsFor("pc"),
    };
    try {
      const v1 = await aModelFiles("pc", { model: aLogisticModel("pc", { halfAtHeadroomC: 5 }) });
      await publish(v1);
      await scorer.start();
      assert.match(
        (await scorer.score([input]))[0]!.model,
        new RegExp(`^pc@${v1.ref.version.slice(0, 12)}`),
      );

      commands.length = 0;
      await clock.advance(60_000);
      await scorer.check();
      assert.ok(commands.length >= 1);
      assert.ok(
        commands.every((c) => c === "ListObjectsV2Command"),
        `unchanged: listed, nothing downloaded (${commands})`,
      );

      const v2 = await aModelFiles("pc", { model: aLogisticModel("pc", { halfAtHeadroomC: 15 }) });
      await publish(v2);
      await clock.advance(60_000);
      await scorer.check(); // joins the check the timer started, which talks to a real server
      // 80 °C is 10 °C below the limit: v1 gives sigmoid(-5), v2 sigmoid(5).
      const [score] = await scorer.score([input]);
      assert.ok(score!.probability > 0.99, `v2 scores ${score!.probability}`);
      assert.deepEqual(scorer.stats().loaded, 2);
    } finally {
      await scorer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
