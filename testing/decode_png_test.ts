import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { resvgWasm } from "../shared/charts/resvg_assets.ts";
import { decodePng } from "./decode_png.ts";

Deno.test("decodePng() reads back the pixels resvg rendered", async () => {
  await initWasm(resvgWasm);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">
    <rect width="40" height="30" fill="#ffffff"/>
    <circle cx="20" cy="15" r="11" fill="#2563eb" stroke="#dc2626" stroke-width="3"/>
    <path d="M0 30 L40 0" stroke="#10b981" stroke-width="2"/></svg>`;
  const resvg = new Resvg(svg);
  const image = resvg.render();
  const png = image.asPng();
  const pixels = image.pixels;
  image.free();
  resvg.free();
  const decoded = decodePng(png);
  assert.equal(decoded.width, 40);
  assert.equal(decoded.height, 30);
  assert.deepEqual(decoded.rgba, pixels);
  const insideCircle = (15 * 40 + 14) * 4;
  assert.deepEqual([...decoded.rgba.subarray(insideCircle, insideCircle + 4)], [
    0x25,
    0x63,
    0xeb,
    255,
  ]);
});

Deno.test("decodePng() undoes each of the five row filters of an RGB image", () => {
  const [width, height, channels] = [7, 5, 3];
  const pixels = Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37) % 256);
  const stride = width * channels;
  const at = (row: number, i: number) => row < 0 || i < 0 ? 0 : pixels[row * stride + i];
  const paeth = (a: number, b: number, c: number) => {
    const p = a + b - c;
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  };
  const raw: number[] = [];
  for (let row = 0; row < height; row++) {
    const filter = row; // rows 0-4 use None, Sub, Up, Average, Paeth
    raw.push(filter);
    for (let i = 0; i < stride; i++) {
      const [left, up, upLeft] = [at(row, i - channels), at(row - 1, i), at(row - 1, i - channels)];
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      raw.push((at(row, i) - predicted) & 0xff);
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    new DataView(out.buffer).setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    return out; // CRC left 0: decodePng does not check it
  };
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8);
  const png = Uint8Array.from([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk("IHDR", header),
    ...chunk("IDAT", new Uint8Array(deflateSync(Uint8Array.from(raw)))),
    ...chunk("IEND", new Uint8Array()),
  ]);
  const decoded = decodePng(png);
  const expected = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    expected.set([...pixels.subarray(i * 3, i * 3 + 3), 255], i * 4);
  }
  assert.deepEqual(decoded.rgba, expected);
});

Deno.test("decodePng() refuses what is not a PNG it can read", async (t) => {
  await t.step("no signature", () => {
    assert.throws(() => decodePng(new TextEncoder().encode("GIF89a")), /no PNG signature/);
  });
  await t.step("a signature and nothing else", () => {
    assert.throws(
      () => decodePng(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)),
      /no IHDR chunk/,
    );
  });
});
