import assert from "node:assert/strict";
import { describeS3Error } from "./s3_errors.ts";

const ENV = { MODELS_BUCKET: "models", S3_ENDPOINT: undefined, AWS_REGION: "eu-west-1" };
const anSdkError = (name: string, message: string, status?: number) =>
  Object.assign(new Error(message), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
  });

Deno.test("describeS3Error() names the variable to check for each kind of S3 failure", async (t) => {
  await t.step("credentials refused", () => {
    assert.equal(
      describeS3Error(anSdkError("InvalidAccessKeyId", "The key does not exist", 403), ENV),
      "AWS S3 in AWS_REGION eu-west-1 refuses the credentials for MODELS_BUCKET 'models' (InvalidAccessKeyId: The key does not exist): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    );
  });
  await t.step("a host that does not resolve", () => {
    const error = Object.assign(new Error("getaddrinfo ENOTFOUND s3.local"), { code: "ENOTFOUND" });
    assert.match(
      describeS3Error(error, { ...ENV, S3_ENDPOINT: "http://s3.local:9000" })!,
      /^cannot reach S3_ENDPOINT http:\/\/s3\.local:9000: getaddrinfo ENOTFOUND/,
    );
  });
  await t.step("any other answer of the server", () => {
    assert.equal(
      describeS3Error(anSdkError("SlowDown", "Reduce your request rate", 503), ENV),
      "AWS S3 in AWS_REGION eu-west-1 answered 503 SlowDown: Reduce your request rate",
    );
  });
});

Deno.test("describeS3Error() gives null for an error that is not about S3", () => {
  assert.equal(describeS3Error(new TypeError("x is undefined"), ENV), null);
  assert.equal(describeS3Error("text", ENV), null);
});
