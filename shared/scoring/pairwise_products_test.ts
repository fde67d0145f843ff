import assert from "node:assert/strict";
import { pairwiseProductNames, writePairwiseProducts } from "./pairwise_products.ts";

Deno.test("pairwiseProductNames() names every pair once, squares included, in write order", () => {
  assert.deepEqual(pairwiseProductNames(["a", "b", "c"]), [
    "a_x_a",
    "a_x_b",
    "a_x_c",
    "b_x_b",
    "b_x_c",
    "c_x_c",
  ]);
});

Deno.test("writePairwiseProducts() writes the products in the names' order", () => {
  const out: number[] = [];
  writePairwiseProducts([2, 3, 5], (v) => out.push(v));
  assert.deepEqual(out, [4, 6, 10, 9, 15, 25]);
});

Deno.test("writePairwiseProducts() keeps a missing factor missing", () => {
  const out: number[] = [];
  writePairwiseProducts([2, NaN], (v) => out.push(v));
  assert.equal(out[0], 4);
  assert.ok(Number.isNaN(out[1]!) && Number.isNaN(out[2]!));
});
