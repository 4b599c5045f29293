/**
 * Top-ups decoupled from payments (threat-model.md §What each party learns, "the mint"): the mint sees when a wallet
 * buys e-cash and how much. So the wallet buys a fixed round amount, never "what this period needs", only when its
 * stock of 1-unit proofs runs low, after a random delay; and it splits the whole top-up into 1-unit proofs at once
 * right after minting, never at the moment of a payment.
 * @module
 */
import { type Random, exponential } from './random.js';

export interface TopUpPolicy {
  /** Buy when fewer 1-unit proofs than this are left. */
  lowWaterUnits: number;
  /** Always this many units: a round amount the same for every household. */
  topUpUnits: number;
  /** Mean of the random delay between falling below the low-water mark and buying. */
  meanDelayMs: number;
}

/**
 * Whether to top up and when: null while the stock is at or above the low-water mark, else the time to buy
 * `topUpUnits` (drawn once when the stock first falls low; the engine keeps it until the top-up is done).
 */
export function topUpTime(stockUnits: number, nowMs: number, p: TopUpPolicy, rng: Random): number | null {
  if (!(p.topUpUnits > 0 && p.lowWaterUnits >= 0 && p.meanDelayMs > 0)) throw new RangeError('"p" must have topUpUnits > 0, lowWaterUnits ≥ 0, meanDelayMs > 0');
  return stockUnits >= p.lowWaterUnits ? null : nowMs + exponential(p.meanDelayMs, rng);
}
