/**
 * Nelder–Mead minimisation for the models' maximum-likelihood fits: no gradients, deterministic (the same
 * input gives the same steps on every machine), and a plain report of whether it converged.
 */

export interface MinimizeOptions {
  /** Most iterations in all, restarts included (default 5,000). */
  maxIterations?: number;
  /** Size of the first simplex along each axis (default 0.5). */
  initialStep?: number;
  /** Converged when every vertex is within this distance of the best one on every axis (default 1e-8)… */
  pointTolerance?: number;
  /** …and every vertex's value within this of the best value, times max(1, |best|) (default 1e-12). */
  valueTolerance?: number;
}

export interface MinimizeResult {
  point: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

interface Vertex {
  point: number[];
  value: number;
}

/**
 * Minimises `objective` from `start` by Nelder–Mead with the dimension-adaptive coefficients of Gao & Han
 * (2012, Computational Optimization and Applications 51:259–277), which keep the simplex from stalling in 4+
 * dimensions. A non-finite value counts as +Infinity, so the simplex backs away from where the objective
 * breaks down. After the simplex collapses, one fresh simplex is started at the best point; the search ends
 * when that restart cannot improve on it, because a collapsed simplex alone is no proof of a minimum
 * (Lagarias et al. 1998).
 */
export function minimizeNelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const maxIterations = options.maxIterations ?? 5000;
  const step = options.initialStep ?? 0.5;
  const pointTolerance = options.pointTolerance ?? 1e-8;
  const valueTolerance = options.valueTolerance ?? 1e-12;
  if (start.length === 0 || !start.every(Number.isFinite)) {
    throw new RangeError('Nelder–Mead needs a start point of finite numbers');
  }
  let evaluations = 0;
  const evaluate = (point: number[]): Vertex => {
    evaluations++;
    const value = objective(point);
    return { point, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY };
  };
  let best = evaluate([...start]);
  let iterations = 0;
  for (;;) {
    const run = runSimplex(evaluate, best.point, step, {
      maxIterations: maxIterations - iterations,
      pointTolerance,
      valueTolerance,
    });
    iterations += run.iterations;
    const isImprovement =
      best.value - run.best.value > valueTolerance * Math.max(1, Math.abs(run.best.value));
    if (run.best.value <= best.value) best = run.best;
    if (!run.converged) return { ...best, iterations, evaluations, converged: false };
    if (!isImprovement) return { ...best, iterations, evaluations, converged: Number.isFinite(best.value) };
  }
}

function runSimplex(
  evaluate: (point: number[]) => Vertex,
  start: number[],
  step: number,
  limits: { maxIterations: number; pointTolerance: number; valueTolerance: number },
): { best: Vertex; iterations: number; converged: boolean } {
  const dimension = start.length;
  const reflection = 1;
  const expansion = 1 + 2 / dimension;
  const contraction = 0.75 - 1 / (2 * dimension);
  const shrinkage = 1 - 1 / dimension;
  const simplex: Vertex[] = [evaluate([...start])];
  for (let axis = 0; axis < dimension; axis++) {
    const point = [...start];
    point[axis]! += step;
    simplex.push(evaluate(point));
  }
  let iterations = 0;
  for (;;) {
    simplex.sort(byValue);
    const best = simplex[0]!;
    if (hasCollapsed(simplex, limits.pointTolerance, limits.valueTolerance)) {
      return { best, iterations, converged: true };
    }
    if (iterations >= limits.maxIterations) return { best, iterations, converged: false };
    iterations++;
    const worst = simplex[dimension]!;
    const secondWorst = simplex[dimension - 1]!;
    const centroid = centroidOf(simplex.slice(0, dimension));
    const along = (coefficient: number) => centroid.map((c, i) => c + coefficient * (c - worst.point[i]!));
    const reflected = evaluate(along(reflection));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(reflection * expansion));
      simplex[dimension] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < secondWorst.value) {
      simplex[dimension] = reflected;
      continue;
    }
    const isOutside = reflected.value < worst.value;
    const contracted = evaluate(along(isOutside ? reflection * contraction : -contraction));
    if (contracted.value < (isOutside ? reflected.value : worst.value)) {
      simplex[dimension] = contracted;
      continue;
    }
    for (let vertex = 1; vertex <= dimension; vertex++) {
      const point = simplex[vertex]!.point.map((x, i) => best.point[i]! + shrinkage * (x - best.point[i]!));
      simplex[vertex] = evaluate(point);
    }
  }
}

function byValue(left: Vertex, right: Vertex): number {
  if (left.value === right.value) return 0;
  return left.value < right.value ? -1 : 1;
}

function centroidOf(vertices: readonly Vertex[]): number[] {
  const centroid = new Array<number>(vertices[0]!.point.length).fill(0);
  for (const vertex of vertices) {
    for (let i = 0; i < centroid.length; i++) centroid[i]! += vertex.point[i]! / vertices.length;
  }
  return centroid;
}

function hasCollapsed(simplex: readonly Vertex[], pointTolerance: number, valueTolerance: number): boolean {
  const best = simplex[0]!;
  if (!Number.isFinite(best.value)) return false;
  const valueSpread = valueTolerance * Math.max(1, Math.abs(best.value));
  return simplex.every(
    (vertex) =>
      vertex.value - best.value <= valueSpread &&
      vertex.point.every((x, i) => Math.abs(x - best.point[i]!) <= pointTolerance),
  );
}

/**
 * Minimises over strictly positive parameters by searching their logarithms, so that no step can leave the
 * domain (the way Hardie's spreadsheets and the `lifetimes` library keep r, α, a, b > 0).
 */
export function minimizePositive(
  objective: (parameters: readonly number[]) => number,
  start: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  if (!start.every((x) => x > 0 && Number.isFinite(x))) {
    throw new RangeError('every start parameter must be a finite number > 0');
  }
  const result = minimizeNelderMead((logs) => objective(logs.map(Math.exp)), start.map(Math.log), options);
  return { ...result, point: result.point.map(Math.exp) };
}
