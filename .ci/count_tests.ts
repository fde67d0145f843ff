/**
 * Prints "<passed> <failed>" from a JUnit report written by `deno test
 * --junit-path`: every <testcase> (tests and their steps) counts once;
 * skipped (ignored) ones count as neither.
 */
const [path] = Deno.args;
if (!path) {
  console.error("usage: count_tests.ts <junit.xml>");
  Deno.exit(2);
}
const xml = await Deno.readTextFile(path);
let passed = 0;
let failed = 0;
for (const match of xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
  const body = match[2] ?? "";
  if (/<(failure|error)\b/.test(body)) failed++;
  else if (/<skipped\b/.test(body)) continue;
  else passed++;
}
console.log(`${passed} ${failed}`);
