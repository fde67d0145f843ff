import assert from "node:assert/strict";
import { readLines } from "./read_lines.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(chunks.map((chunk) => encoder.encode(chunk)));
}

Deno.test("readLines() joins lines split across chunks and drops line endings", async () => {
  const lines = await Array.fromAsync(
    readLines(streamOf("127.0.0.1:1,127.", "0.0.1:2\nok\r\n", "er", "ror x\n")),
  );
  assert.deepEqual(lines, ["127.0.0.1:1,127.0.0.1:2", "ok", "error x"]);
});

Deno.test("readLines() yields a last line without an ending and nothing for an empty stream", async () => {
  assert.deepEqual(await Array.fromAsync(readLines(streamOf("ok\nlast"))), ["ok", "last"]);
  assert.deepEqual(await Array.fromAsync(readLines(streamOf())), []);
});

Deno.test("readLines() decodes a UTF-8 character split between chunks", async () => {
  const bytes = new TextEncoder().encode("é\n");
  const stream = ReadableStream.from([bytes.slice(0, 1), bytes.slice(1)]);
  assert.deepEqual(await Array.fromAsync(readLines(stream)), ["é"]);
});
