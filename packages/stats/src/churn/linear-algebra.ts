/** Dense linear algebra the models need, on row-major Float64Arrays. */

/**
 * Solves A x = b for a symmetric positive-definite A (size × size, row-major; only the lower triangle is
 * read) by Cholesky factorisation A = L Lᵀ. Throws when A is not positive definite.
 */
export function solveSymmetricPositiveDefinite(
  matrix: Float64Array,
  size: number,
  rightHandSide: Float64Array,
): Float64Array {
  const lower = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column <= row; column++) {
      let sum = matrix[row * size + column]!;
      for (let k = 0; k < column; k++) sum -= lower[row * size + k]! * lower[column * size + k]!;
      if (row === column) {
        if (!(sum > 0)) throw new RangeError('the matrix is not positive definite');
        lower[row * size + row] = Math.sqrt(sum);
      } else {
        lower[row * size + column] = sum / lower[column * size + column]!;
      }
    }
  }
  const solution = Float64Array.from(rightHandSide);
  for (let row = 0; row < size; row++) {
    let sum = solution[row]!;
    for (let k = 0; k < row; k++) sum -= lower[row * size + k]! * solution[k]!;
    solution[row] = sum / lower[row * size + row]!;
  }
  for (let row = size - 1; row >= 0; row--) {
    let sum = solution[row]!;
    for (let k = row + 1; k < size; k++) sum -= lower[k * size + row]! * solution[k]!;
    solution[row] = sum / lower[row * size + row]!;
  }
  return solution;
}
