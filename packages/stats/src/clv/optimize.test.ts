import { describe, expect, it } from 'vitest';
import { minimizeNelderMead, minimizePositive } from './optimize';

const rosenbrock = ([x, y]: readonly number[]) => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;

describe('minimizeNelderMead', () => {
  it('finds the minimum of the Rosenbrock valley from the textbook start (−1.2, 1)', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
    expect(result.iterations).toBeGreaterThan(0);
    expect(result.evaluations).toBeGreaterThan(result.iterations);
  });

  it('minimises a badly scaled four-dimensional quadratic', () => {
    const centre = [3, -2, 0.5, 10];
    const scales = [1, 100, 0.01, 5];
    const quadratic = (point: readonly number[]) =>
      point.reduce((sum, x, i) => sum + scales[i]! * (x - centre[i]!) ** 2, 0);
    const result = minimizeNelderMead(quadratic, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.point.forEach((x, i) => {
      expect(x).toBeCloseTo(centre[i]!, 5);
    });
  });

  it('takes the same steps on every run', () => {
    expect(minimizeNelderMead(rosenbrock, [-1.2, 1])).toEqual(minimizeNelderMead(rosenbrock, [-1.2, 1]));
  });

  it('reports no convergence when it runs out of iterations', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(10);
  });

  it('backs away from where the objective is not finite', () => {
    // Undefined for x ≤ 0; the minimum (x = 2) is near the edge.
    const result = minimizeNelderMead(
      ([x]) => (x! <= 0 ? Number.NaN : (Math.log(x!) - Math.LN2) ** 2),
      [0.3],
    );
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(2, 6);
  });

  it('refuses a start that is empty or not finite', () => {
    expect(() => minimizeNelderMead(rosenbrock, [])).toThrow(RangeError);
    expect(() => minimizeNelderMead(rosenbrock, [Number.NaN, 1])).toThrow(RangeError);
  });
});

describe('minimizePositive', () => {
  it('searches in log space and returns positive parameters', () => {
    const seen: number[] = [];
    const result = minimizePositive(
      ([a, b]) => {
        seen.push(a!, b!);
        return (a! - 0.001) ** 2 * 1e6 + (b! - 500) ** 2 / 1e4;
      },
      [1, 1],
    );
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(0.001, 8);
    expect(result.point[1]).toBeCloseTo(500, 3);
    expect(seen.every((value) => value > 0)).toBe(true);
  });

  it('refuses a start that is not positive', () => {
    expect(() => minimizePositive(rosenbrock, [0, 1])).toThrow(RangeError);
    expect(() => minimizePositive(rosenbrock, [-1, 1])).toThrow(RangeError);
  });
});
