/**
 * Single changes to a period's dispute evidence (docs/dispute.md), each with the checks that must name it: shared by
 * the protocol's test (a period made by protocol/ alone) and the engine's (a period paid and settled for real).
 */
import type { DisputeEvidence } from '../../protocol/index.js';

const flip = (hex: string, at = hex.length - 2) =>
  hex.slice(0, at) + (parseInt(hex.slice(at, at + 2), 16) ^ 1).toString(16).padStart(2, '0') + hex.slice(at + 2);

/** For evidence of at least 3 tokens. */
export const EVIDENCE_MUTATIONS: readonly [string, (e: DisputeEvidence) => void, string[]][] = [
  ['a σ', (e) => { e.tokens[1]!.sig = flip(e.tokens[1]!.sig, 10); }, ['token-signatures']],
  ['a T (another token\'s)', (e) => { e.tokens[2]!.T = e.tokens[0]!.T; }, ['tokens-distinct', 'token-signatures', 'receipts']],
  ['an ω', (e) => { e.tokens[0]!.receipt = e.tokens[1]!.receipt; }, ['receipts', 'combined']],
  ['R_t', (e) => { e.bill.R = e.tokens[0]!.T; }, ['bill-signature', 'settlement']],
  ['β', (e) => { e.bill.sig = flip(e.bill.sig, 10); }, ['bill-signature']],
  ['the fault flag', (e) => { e.bill.fault = !e.bill.fault; }, ['bill-signature']],
  ['the period', (e) => { e.bill.period += 1; }, ['token-signatures', 'bill-signature']],
  ['C', (e) => { e.combined = e.tokens[0]!.receipt; }, ['combined', 'settlement']],
  ['ρ_t', (e) => { e.mask = flip(e.mask); }, ['combined']],
  ['the fingerprint', (e) => { e.utility.fingerprint = flip(e.utility.fingerprint); }, ['utility-key']],
  ['the bill key (absent)', (e) => { e.bill.billPublicKey = null; }, ['bill-signature']],
  ['a dropped token', (e) => { e.tokens.splice(1, 1); }, ['combined']],
  ['a duplicated token', (e) => { e.tokens.push(e.tokens[0]!); }, ['tokens-distinct', 'combined']],
];
