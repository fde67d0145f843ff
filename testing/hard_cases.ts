/**
 * The rebuilt hard heat-ups (`models/evaluate/hard_cases.ts`, which
 * `deno task evaluate --hard-cases` reads) for tests outside models/: the
 * scoring core's tests import them from here, as the core may not import a
 * role folder.
 */
export { aPi4At0946V, type HardCase } from "../models/evaluate/hard_cases.ts";
