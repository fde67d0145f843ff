import assert from "node:assert/strict";
import { ConfigError } from "../config/parse_env.ts";
import { CommandError } from "./command_error.ts";
import { explainError } from "./explain_error.ts";

const notCapable = (kind: string, path: string) =>
  new Deno.errors.NotCapable(
    `Requires ${kind} access to "${path}", run again with the --allow-${kind} flag`,
  );

Deno.test("explainError() names the setting whose path Deno may not use, and the flag to add", async (t) => {
  const settings = { DATA_DIR: "/srv/sw", KV_PATH: undefined, SENSORS_ROOT: "/", PORT: 8000 };
  await t.step("the folder itself", () => {
    assert.deepEqual(explainError(notCapable("write", "/srv/sw"), settings, "/repo"), {
      message:
        "DATA_DIR is '/srv/sw', where this command may not write: use a path it may write (./data for the tasks that limit it), or add --allow-write=/srv/sw to its deno run command (README: Permissions)",
      exitCode: 2,
    });
  });
  await t.step("a file in it, a relative setting", () => {
    const explained = explainError(
      notCapable("read", "/repo/elsewhere/monitor.kv"),
      { DATA_DIR: "./elsewhere" },
      "/repo",
    );
    assert.match(
      explained!.message,
      /^DATA_DIR is '\.\/elsewhere', where this command may not read/,
    );
  });
  await t.step("KV_PATH over DATA_DIR when both hold it", () => {
    const explained = explainError(
      notCapable("write", "/srv/sw/kv/x.kv"),
      { DATA_DIR: "/srv/sw", KV_PATH: "/srv/sw/kv/x.kv" },
      "/repo",
    );
    assert.match(explained!.message, /^KV_PATH is/);
  });
  await t.step("a path no setting names", () => {
    assert.match(
      explainError(notCapable("read", "/etc/x"), settings, "/repo")!.message,
      /^this command may not read \/etc\/x: add --allow-read=\/etc\/x/,
    );
  });
});

Deno.test("explainError() names the setting the file system refuses", () => {
  const error = new Deno.errors.PermissionDenied(
    "Permission denied (os error 13): mkdir '/root/sw'",
  );
  const explained = explainError(error, { DATA_DIR: "/root/sw" }, "/repo");
  assert.equal(explained?.exitCode, 2);
  assert.match(explained!.message, /^DATA_DIR is '\/root\/sw', which this user may not use/);
});

Deno.test("explainError() passes on what a CommandError or ConfigError says, and looks into a cause", () => {
  assert.deepEqual(explainError(new CommandError("S3 is away", 1)), {
    message: "S3 is away",
    exitCode: 1,
  });
  assert.equal(explainError(new ConfigError(["PORT is 'x': must be a number"]))?.exitCode, 2);
  const wrapped = new Error("cannot open the store", { cause: notCapable("write", "/d") });
  assert.match(explainError(wrapped, { DATA_DIR: "/d" }, "/")!.message, /^DATA_DIR is '\/d'/);
});

Deno.test("explainError() gives null for an unexpected error, whose stack is worth seeing", () => {
  assert.equal(explainError(new TypeError("x is undefined")), null);
  assert.equal(explainError("a string"), null);
});
