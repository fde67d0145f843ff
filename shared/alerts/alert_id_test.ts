import assert from "node:assert/strict";
import { alertIdOf, isAlertId } from "./alert_id.ts";

const uuid = "3f1c2a9e-7b4d-4e21-9a57-0c8d6e5f4b3a";

Deno.test("alertIdOf() is the same for the same natural id and differs between them", () => {
  assert.equal(alertIdOf(`pc1-${uuid}`), alertIdOf(`pc1-${uuid}`));
  assert.notEqual(alertIdOf(`pc1-${uuid}`), alertIdOf(`pc2-${uuid}`));
  assert.notEqual(alertIdOf(`pc1-${uuid}`), alertIdOf(`pc1-under_voltage-${uuid}`));
  assert.ok(isAlertId(alertIdOf(`${"d".repeat(64)}-${uuid}`)));
});

Deno.test("alertIdOf() refuses an empty natural id", () => {
  assert.throws(() => alertIdOf(""), /natural id is empty/);
});

Deno.test("isAlertId() takes 22 base64url characters and nothing else", () => {
  assert.equal(isAlertId("abcdefghijklmnopqrstu_"), true);
  for (const value of ["abc", `pc1-${uuid}`, "abcdefghijklmnopqrstu/", 42, null]) {
    assert.equal(isAlertId(value), false, String(value));
  }
});
