/**
 * Randomness for the payment timing, injected so that tests and the simulation replay exactly: the engine uses
 * `secureRandom` (node:crypto), tests and `npm run sim:timing` a seeded generator.
 * @module
 */
import { randomInt } from 'node:crypto';

/** A uniform draw in [0, 1). */
export type Random = () => number;

const SCALE = 2 ** 48 - 1; // randomInt's largest range (max − min < 2^48)

/** Uniform in [0, 1) from the operating system's CSPRNG: what the engine pays with. */
export const secureRandom: Random = () => randomInt(0, SCALE) / SCALE;

/**
 * A small deterministic generator (32-bit state, splitmix-style mixing) for tests and simulations only: fast and
 * reproducible from a seed, not unpredictable. Never for the engine's real schedule.
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/** Exponential with this mean. */
export const exponential = (mean: number, rng: Random): number => -Math.log1p(-rng()) * mean;

/**
 * Exponential with this mean, conditioned on being ≤ `cap` (inverse CDF of the truncated law): no point mass at
 * the cap, so a deadline never shows up as a pile of payments just before it.
 */
export function truncatedExponential(mean: number, cap: number, rng: Random): number {
  if (cap <= 0) return 0;
  const tail = Math.exp(-cap / mean);
  return Math.min(cap, -Math.log1p(-rng() * (1 - tail)) * mean);
}

/** Uniform in [lo, hi). */
export const uniform = (lo: number, hi: number, rng: Random): number => lo + (hi - lo) * rng();
