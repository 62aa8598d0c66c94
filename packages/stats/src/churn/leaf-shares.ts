/**
 * The Shapley values of one leaf of a tree under path-dependent TreeSHAP (Lundberg, Erion & Lee 2018,
 * Algorithm 2), for every pattern of agreement between a row and the leaf's path: the tables that Fast
 * TreeSHAP v2 (Yang 2021, arXiv:2109.09847) precomputes, and their sums over small subtrees.
 */
import type { RegressionTree } from './regression-tree';

/**
 * For a leaf of value 1 whose path has m distinct features with zero fractions z (the share of training
 * cover that follows the path on that feature's splits), and each pattern o ∈ {0,1}^m of agreement: the
 * Shapley value of feature k is Σ_{S ⊆ P∖k} |S|!(m−|S|−1)!/m! · (o_k − z_k) · Π_{j∈S} o_j · Π_{j∉S, j≠k} z_j.
 * Only S within the agreeing features count; for those the sum is Σ_s w(s) e_{a−s}(z of the a agreeing
 * features other than k), e_r the elementary symmetric polynomials.
 */
export function leafShares(zeroFractions: readonly number[]): number[] {
  const m = zeroFractions.length;
  if (m > 16) throw new RangeError('a path with more than 16 distinct features is too deep to tabulate');
  const weights = Array.from(
    { length: m },
    (_, size) => (factorial(size) * factorial(m - size - 1)) / factorial(m),
  );
  const table = new Array<number>((1 << m) * m).fill(0);
  for (let pattern = 0; pattern < 1 << m; pattern++) {
    for (let k = 0; k < m; k++) {
      const agreeing: number[] = [];
      let disagreeingProduct = 1;
      for (let j = 0; j < m; j++) {
        if (j === k) continue;
        if (pattern & (1 << j)) agreeing.push(zeroFractions[j]!);
        else disagreeingProduct *= zeroFractions[j]!;
      }
      const symmetric = elementarySymmetric(agreeing);
      let sum = 0;
      for (let size = 0; size <= agreeing.length; size++) {
        sum += weights[size]! * symmetric[agreeing.length - size]!;
      }
      const agrees = pattern & (1 << k) ? 1 : 0;
      table[pattern * m + k] = (agrees - zeroFractions[k]!) * disagreeingProduct * sum;
    }
  }
  return table;
}

/** e_0 … e_n of the values: e_r is the sum of the products of every r of them. */
function elementarySymmetric(values: readonly number[]): number[] {
  const sums = [1, ...new Array<number>(values.length).fill(0)];
  values.forEach((value, count) => {
    for (let r = count + 1; r >= 1; r--) sums[r]! += value * sums[r - 1]!;
  });
  return sums;
}

function factorial(n: number): number {
  let product = 1;
  for (let k = 2; k <= n; k++) product *= k;
  return product;
}

export interface Leaf {
  node: number;
  /** Path features in slot order (first appearance from the root), and the leaf's shares × value. */
  features: number[];
  shares: number[];
  /** Edges from the subtree's root down to the leaf. */
  edges: { node: number; goesLeft: boolean }[];
}

/**
 * One subtree's table: for each index (bits 0 … above − 1: the row agrees with the path above on that
 * feature; bit above + i: the row goes left at the subtree's i-th inner node), the sum of its leaves' shares.
 */
export function tabulate(
  tree: RegressionTree,
  root: number,
  above: number[],
  nodes: number[],
  leaves: Leaf[],
) {
  const features = [...above];
  for (const node of nodes) if (!features.includes(tree.feature[node]!)) features.push(tree.feature[node]!);
  const bitOf = new Map(nodes.map((node, position) => [node, above.length + position]));
  const rows = 1 << (above.length + nodes.length);
  const table = new Float64Array(rows * features.length);
  for (let index = 0; index < rows; index++) {
    for (const leaf of leaves) {
      const m = leaf.features.length;
      // Agreement with the path above comes from the index; features first met inside start agreeing.
      let pattern = (index & ((1 << above.length) - 1)) | (((1 << m) - 1) & ~((1 << above.length) - 1));
      for (const edge of leaf.edges) {
        const wentLeft = (index >> bitOf.get(edge.node)!) & 1;
        if (wentLeft !== (edge.goesLeft ? 1 : 0)) {
          pattern &= ~(1 << leaf.features.indexOf(tree.feature[edge.node]!));
        }
      }
      for (let k = 0; k < m; k++) {
        table[index * features.length + features.indexOf(leaf.features[k]!)]! +=
          leaf.shares[pattern * m + k]!;
      }
    }
  }
  return { root, above: above.length, nodes, features, table };
}

/** Where each of consecutive runs of the given lengths starts, and (last) where they end. */
export function offsetsOf(lengths: readonly number[]): Int32Array {
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((length, index) => {
    offsets[index + 1] = offsets[index]! + length;
  });
  return offsets;
}
