/**
 * The household's view of a bill (protocol.md §BillGen, §Settlement): the bill matches the tokens when
 * K_t tokens arrived and Σ T_i − ρ_t·G1 = R_t. Independent of protocol/'s code path: plain noble.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import type { BillWithOpening, Token } from '../../protocol/index.js';

const G1 = bls12_381.G1.Point;

export function billMatchesTokens({ bill, mask, count }: BillWithOpening, tokens: readonly Token[]): boolean {
  const mine = tokens.filter((t) => t.period === bill.period);
  if (mine.length !== count) return false;
  const sum = mine.reduce((acc, t) => acc.add(G1.fromBytes(t.T)), G1.ZERO);
  return sum.subtract(G1.BASE.multiply(mask)).equals(G1.fromBytes(bill.R));
}
