/**
 * Yields the lines of a text file with their 1-based numbers ("\n" or "\r\n"
 * endings, a last line without an ending too), reading it in chunks so large
 * files never sit in memory whole.
 */
export async function* readLines(path: string): AsyncGenerator<{ line: number; text: string }> {
  using file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  let pending = "";
  let line = 0;
  for await (const chunk of file.readable) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    let end: number;
    while ((end = pending.indexOf("\n", start)) !== -1) {
      line++;
      yield { line, text: pending.slice(start, end).replace(/\r$/, "") };
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== "") yield { line: line + 1, text: pending.replace(/\r$/, "") };
}
