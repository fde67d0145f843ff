import assert from "node:assert/strict";
import { ruleFloor } from "./rule_floor.ts";
import { rearmLevel } from "./alert_policy.ts";

Deno.test("ruleFloor() puts the rule's threshold and re-arm level on the model's", () => {
  const [rule, model] = [0.95, 0.3];
  assert.equal(ruleFloor(rule, rule, model), model);
  assert.ok(Math.abs(ruleFloor(rearmLevel(rule), rule, model) - rearmLevel(model)) < 1e-12);
  assert.equal(ruleFloor(1, rule, model), 1);
  assert.equal(ruleFloor(0, rule, model), 0);
  assert.ok(ruleFloor(0.97, rule, model) > model && ruleFloor(0.9, rule, model) < model);
});
