/**
 * A small seeded pseudo-random generator, so that folds, row subsamples and validation splits are the same
 * for the same seed on every machine (Math.random cannot be seeded).
 */

/** Returns a generator of uniform numbers in [0, 1): mulberry32 (Tommy Ettinger, public domain), 32-bit state. */
export function createRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`the seed must be a finite number, got ${seed}`);
  // Mix the seed first (the splitmix32 finaliser), so that nearby seeds give unrelated streams.
  let state = Math.trunc(seed) >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  state = (state ^ (state >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Shuffles in place by Fisher–Yates with the given generator; returns the same array. */
export function shuffleInPlace<T extends Int32Array | number[]>(values: T, random: () => number): T {
  for (let last = values.length - 1; last > 0; last--) {
    const other = Math.floor(random() * (last + 1));
    const kept = values[last]!;
    values[last] = values[other]!;
    values[other] = kept;
  }
  return values;
}
