// The two functions of @cdktf/hcl2json used here. Its own .d.ts files pull in the DOM
// library (`/// <reference lib="dom" />`), which changes the global types of every file
// `deno check` checks with them (TextDecoderStream no longer fits Deno's streams).

/** A file's HCL as the JSON hcl2json makes of it. */
// deno-lint-ignore no-explicit-any
export function parse(filename: string, contents: string): Promise<Record<string, any>>;

/** The syntax tree of one HCL expression (or template). */
export function getExpressionAst(filename: string, expression: string): Promise<unknown>;
