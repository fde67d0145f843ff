/**
 * Products of every pair of a few features, squares included: what a linear
 * model needs to bend its decision surface (a rise counts more the closer to
 * the limit it starts, and closeness counts more the steeper the rise). See
 * models/README.md ("Features").
 */

/** Names of the pairwise products of `names`, in the order {@linkcode writePairwiseProducts} writes them. */
export function pairwiseProductNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a; b < names.length; b++) out.push(`${names[a]}_x_${names[b]}`);
  }
  return out;
}

/**
 * Writes `values[a] * values[b]` for every a <= b through `put`, in the order
 * of {@linkcode pairwiseProductNames}. A NaN factor gives a NaN product, which
 * the model fills like any missing sensor.
 */
export function writePairwiseProducts(
  values: ArrayLike<number>,
  put: (value: number) => void,
): void {
  for (let a = 0; a < values.length; a++) {
    for (let b = a; b < values.length; b++) put(values[a]! * values[b]!);
  }
}
