import assert from "node:assert/strict";
import type { ModelMetadata } from "../models/model_metadata.ts";
import type { Profile } from "../reading/mod.ts";
import { chooseModel } from "./choose_model.ts";

const aModel = (name: string, scope: ModelMetadata["scope"], profile: Profile) => ({
  name,
  metadata: { scope, profile },
});

Deno.test("chooseModel() prefers the device's own model to its profile's", () => {
  const models = new Map([
    ["pc", aModel("pc", "profile", "pc")],
    ["pc1", aModel("pc1", "device", "pc")],
  ]);
  assert.equal(chooseModel(models, { device: "pc1", profile: "pc" })?.name, "pc1");
  assert.equal(chooseModel(models, { device: "pc2", profile: "pc" })?.name, "pc");
});

Deno.test("chooseModel() refuses a model of another scope or profile than its name says", async (t) => {
  await t.step("a device model for a device that now reports another profile", () => {
    const models = new Map([
      ["box", aModel("box", "device", "pc")],
      ["raspberry", aModel("raspberry", "profile", "raspberry")],
    ]);
    assert.equal(chooseModel(models, { device: "box", profile: "raspberry" })?.name, "raspberry");
  });
  await t.step(
    "a device named after a profile gets that model only when it is of that profile",
    () => {
      const models = new Map([["pc", aModel("pc", "profile", "pc")]]);
      assert.equal(chooseModel(models, { device: "pc", profile: "pc" })?.name, "pc");
      assert.equal(chooseModel(models, { device: "pc", profile: "raspberry" }), null);
    },
  );
  await t.step("a model named after a profile but of device scope is no profile model", () => {
    const models = new Map([["pc", aModel("pc", "device", "pc")]]);
    assert.equal(chooseModel(models, { device: "pc7", profile: "pc" }), null);
  });
  await t.step("a profile model trained on the other profile", () => {
    const models = new Map([["pc", aModel("pc", "profile", "raspberry")]]);
    assert.equal(chooseModel(models, { device: "pc7", profile: "pc" }), null);
  });
});

Deno.test("chooseModel() gives null when no model fits: the rule scores the device", () => {
  assert.equal(chooseModel(new Map(), { device: "pc1", profile: "pc" }), null);
});
