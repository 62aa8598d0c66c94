/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
 * for tree ensembles", Algorithm 2): Shapley values of the game v(S) = E[f(x) | x_S], where a tree takes a
 * missing feature's branches in proportion to their training cover. They add up to f(x) − E[f(x)].
 *
 * A leaf's share depends on a row only through which of its path's features the row agrees with (Fast
 * TreeSHAP v2, Yang 2021), so a whole subtree's share depends only on the row's agreement with the path
 * above it and its decisions at the subtree's inner nodes. Subtrees small enough get one table over all
 * those bits; explaining a row is then its decisions at each node plus one table row per subtree.
 */
import type { FeatureMatrix } from './feature-encoder';
import type { GradientBoostingModel } from './gradient-boosting';
import { type Leaf, leafShares, offsetsOf, tabulate } from './leaf-shares';
import type { RegressionTree } from './regression-tree';

/** Most bits (path features above plus inner nodes) one subtree's table is indexed by: 2^8 rows at most. */
const MAX_TABLE_BITS = 8;
/** Rows explained together, one tree at a time. */
const BLOCK_ROWS = 512;

interface CompiledTree {
  /** Inner nodes above the tabulated subtrees, parents first: their tests, children and path-feature bit. */
  upperNodes: Int32Array;
  upperFeature: Int32Array;
  upperThreshold: Float64Array;
  upperLeft: Int32Array;
  upperRight: Int32Array;
  /** 1 << (slot of the node's feature among the distinct features on the path from the root to it). */
  upperBit: Int32Array;
  /** Per subtree: its root, how many path features lie above it, its inner nodes' tests in bit order. */
  groupRoot: Int32Array;
  groupAbove: Uint8Array;
  nodeStart: Int32Array;
  nodeFeature: Int32Array;
  nodeThreshold: Float64Array;
  /** Per subtree: the features its table covers, and the table (rows of featureStart-width entries). */
  featureStart: Int32Array;
  groupFeatures: Int32Array;
  tableStart: Int32Array;
  tables: Float64Array;
  nodeCount: number;
}

export interface TreeExplainer {
  featureCount: number;
  /** E[f(x)]: the base score plus each tree's cover-weighted mean leaf value. */
  expectedValue: number;
  trees: CompiledTree[];
}

/** Prepares a boosted model's trees for explaining rows (done once per model). */
export function createTreeExplainer(model: GradientBoostingModel): TreeExplainer {
  let expectedValue = model.baseScore;
  const trees = model.trees.map((tree) => {
    const compiled = compileTree(tree);
    expectedValue += compiled.expectedValue;
    return compiled.tree;
  });
  return { featureCount: model.featureCount, expectedValue, trees };
}

function compileTree(tree: RegressionTree): { tree: CompiledTree; expectedValue: number } {
  const innerNodes: number[] = [];
  const upperNodes: number[] = [];
  const splitBit = new Int32Array(tree.feature.length);
  const groups: { root: number; above: number; nodes: number[]; features: number[]; table: Float64Array }[] =
    [];
  let expectedValue = 0;
  const innerCount = (node: number): number =>
    tree.left[node]! < 0 ? 0 : 1 + innerCount(tree.left[node]!) + innerCount(tree.right[node]!);
  // Depth first, carrying the path's distinct features and each one's zero fraction (the share of the
  // training cover that follows the path on that feature's splits); `group` collects a subtree's leaves.
  const visit = (
    node: number,
    features: number[],
    zeroFractions: number[],
    group?: Leaf[],
    edges: Leaf['edges'] = [],
  ) => {
    if (tree.left[node]! < 0) {
      const value = tree.value[node]!;
      expectedValue += value * zeroFractions.reduce((product, fraction) => product * fraction, 1);
      const shares = leafShares(zeroFractions).map((share) => share * value);
      group?.push({ node, features, shares, edges });
      return;
    }
    innerNodes.push(node);
    const feature = tree.feature[node]!;
    const known = features.indexOf(feature);
    const slot = known >= 0 ? known : features.length;
    splitBit[node] = 1 << slot;
    const childFeatures = known >= 0 ? features : [...features, feature];
    for (const [child, goesLeft] of [
      [tree.left[node]!, true],
      [tree.right[node]!, false],
    ] as const) {
      const fractions = known >= 0 ? [...zeroFractions] : [...zeroFractions, 1];
      fractions[slot]! *= tree.cover[child]! / tree.cover[node]!;
      visit(child, childFeatures, fractions, group, group ? [...edges, { node, goesLeft }] : []);
    }
  };
  const plan = (node: number, features: number[], zeroFractions: number[]) => {
    const isUpper = tree.left[node]! >= 0 && features.length + innerCount(node) > MAX_TABLE_BITS;
    if (!isUpper) {
      const leaves: Leaf[] = [];
      const firstInner = innerNodes.length;
      visit(node, features, zeroFractions, leaves);
      groups.push(tabulate(tree, node, features, innerNodes.slice(firstInner), leaves));
      return;
    }
    innerNodes.push(node);
    upperNodes.push(node);
    const feature = tree.feature[node]!;
    const known = features.indexOf(feature);
    const slot = known >= 0 ? known : features.length;
    splitBit[node] = 1 << slot;
    for (const child of [tree.left[node]!, tree.right[node]!]) {
      const fractions = known >= 0 ? [...zeroFractions] : [...zeroFractions, 1];
      fractions[slot]! *= tree.cover[child]! / tree.cover[node]!;
      plan(child, known >= 0 ? features : [...features, feature], fractions);
    }
  };
  plan(0, [], []);
  return {
    tree: {
      upperNodes: Int32Array.from(upperNodes),
      upperFeature: Int32Array.from(upperNodes, (node) => tree.feature[node]!),
      upperThreshold: Float64Array.from(upperNodes, (node) => tree.threshold[node]!),
      upperLeft: Int32Array.from(upperNodes, (node) => tree.left[node]!),
      upperRight: Int32Array.from(upperNodes, (node) => tree.right[node]!),
      upperBit: Int32Array.from(upperNodes, (node) => splitBit[node]!),
      groupRoot: Int32Array.from(groups, (group) => group.root),
      groupAbove: Uint8Array.from(groups, (group) => group.above),
      nodeStart: offsetsOf(groups.map((group) => group.nodes.length)),
      nodeFeature: Int32Array.from(groups.flatMap((group) => group.nodes.map((node) => tree.feature[node]!))),
      nodeThreshold: Float64Array.from(
        groups.flatMap((group) => group.nodes.map((node) => tree.threshold[node]!)),
      ),
      featureStart: offsetsOf(groups.map((group) => group.features.length)),
      groupFeatures: Int32Array.from(groups.flatMap((group) => group.features)),
      tableStart: offsetsOf(groups.map((group) => group.table.length)),
      tables: Float64Array.from(groups.flatMap((group) => Array.from(group.table))),
      nodeCount: tree.feature.length,
    },
    expectedValue,
  };
}

/**
 * Each row's contributions, row-major (contributions[i · features + j] for feature j of row i); with the
 * explainer's expected value they add up to the model's log-odds, which go into `logOdds` when given.
 */
export function explainTrees(
  explainer: TreeExplainer,
  matrix: FeatureMatrix,
  logOdds?: Float64Array,
): Float64Array {
  const { rowCount, featureCount } = matrix;
  if (featureCount !== explainer.featureCount) {
    throw new RangeError(`the model has ${explainer.featureCount} features, the matrix ${featureCount}`);
  }
  const contributions = new Float64Array(rowCount * featureCount);
  const largestTree = explainer.trees.reduce((largest, tree) => Math.max(largest, tree.nodeCount), 1);
  const disagreements = new Int32Array(largestTree);
  // Rows in blocks, each block through one tree at a time, so that the tree's tables stay in cache.
  for (let blockStart = 0; blockStart < rowCount; blockStart += BLOCK_ROWS) {
    const blockEnd = Math.min(rowCount, blockStart + BLOCK_ROWS);
    for (const tree of explainer.trees) {
      explainBlock(tree, matrix, blockStart, blockEnd, contributions, disagreements);
    }
  }
  if (logOdds) {
    for (let row = 0; row < rowCount; row++) {
      let sum = explainer.expectedValue;
      for (let feature = 0; feature < featureCount; feature++)
        sum += contributions[row * featureCount + feature]!;
      logOdds[row] = sum;
    }
  }
  return contributions;
}

/**
 * Adds one tree's contributions to rows blockStart … blockEnd − 1. `disagreements` holds per node the bits
 * of the path features on which the row disagrees with the path from the root to the node.
 */
function explainBlock(
  tree: CompiledTree,
  matrix: FeatureMatrix,
  blockStart: number,
  blockEnd: number,
  contributions: Float64Array,
  disagreements: Int32Array,
): void {
  const { values, featureCount } = matrix;
  const { upperNodes, upperFeature, upperThreshold, upperLeft, upperRight, upperBit } = tree;
  const { groupRoot, groupAbove, nodeStart, nodeFeature, nodeThreshold } = tree;
  const { featureStart, groupFeatures, tableStart, tables } = tree;
  for (let row = blockStart; row < blockEnd; row++) {
    const start = row * featureCount;
    for (let upper = 0; upper < upperNodes.length; upper++) {
      // Branch-free (+boolean): which way a row goes is a coin flip to the branch predictor.
      const isLeft = +(values[start + upperFeature[upper]!]! <= upperThreshold[upper]!);
      const above = disagreements[upperNodes[upper]!]!;
      disagreements[upperLeft[upper]!] = above | ((1 - isLeft) * upperBit[upper]!);
      disagreements[upperRight[upper]!] = above | (isLeft * upperBit[upper]!);
    }
    for (let group = 0; group < groupRoot.length; group++) {
      let shift = groupAbove[group]!;
      let index = ((1 << shift) - 1) & ~disagreements[groupRoot[group]!]!;
      for (let node = nodeStart[group]!; node < nodeStart[group + 1]!; node++) {
        index |= +(values[start + nodeFeature[node]!]! <= nodeThreshold[node]!) << shift++;
      }
      const firstFeature = featureStart[group]!;
      const width = featureStart[group + 1]! - firstFeature;
      const offset = tableStart[group]! + index * width;
      for (let k = 0; k < width; k++) {
        contributions[start + groupFeatures[firstFeature + k]!]! += tables[offset + k]!;
      }
    }
  }
}
