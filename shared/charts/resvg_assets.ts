/**
 * The bytes the PNG renderer needs, imported through the module graph (no
 * file read at run time, so it runs on Deno Deploy and without --allow-read):
 * resvg's WebAssembly and the DejaVu Sans font, both from their npm packages.
 * `with { type: "bytes" }` needs `"unstable": ["raw-imports"]` in deno.json;
 * `deno bundle` inlines both, and the bundle needs no flag.
 */
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm" with { type: "bytes" };
import dejavuSans from "dejavu-fonts-ttf/ttf/DejaVuSans.ttf" with { type: "bytes" };

export { dejavuSans, resvgWasm };
