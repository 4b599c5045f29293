/**
 * NUT-10 well-known secrets and their NUT-11 (P2PK) and NUT-14 (HTLC) spending conditions, checked with
 * @cashu/cashu-ts's verifiers. A secret that is not a NUT-10 JSON array is a plain secret (anyone holding it
 * can spend); a NUT-10 kind the mint does not know is treated the same way, as NUT-10 allows.
 *
 * SIG_ALL (NUT-11): when any input carries it, every input must have the same kind, data and tags, and the
 * first input's witness signs secret_0||C_0||…||amount_0||B_0||…[||quote_id].
 * @module
 */
import {
  Amount,
  getP2PKSigFlag,
  verifyHTLCSpendingConditions,
  verifyP2PKSpendingConditions,
  type P2PKVerificationResult,
  type Proof,
} from '@cashu/cashu-ts';
import { MintError } from './errors.js';

export interface ConditionInput {
  amount: number;
  id: string;
  secret: string;
  C: string;
  witness?: string;
}

export interface ConditionOutput {
  amount: number;
  B_: string;
}

type Verifier = (proof: Proof, logger?: undefined, message?: string) => P2PKVerificationResult;
const VERIFIERS: Readonly<Record<string, Verifier>> = {
  P2PK: verifyP2PKSpendingConditions,
  HTLC: verifyHTLCSpendingConditions,
};

interface WellKnown {
  kind: string;
  data: unknown;
  tags: unknown;
}

/** Throws MintError('proof-invalid') unless every input's spending condition is met. */
export function checkSpendingConditions(
  inputs: readonly ConditionInput[],
  outputs: readonly ConditionOutput[],
  quoteId?: string,
): void {
  const secrets = inputs.map((p) => wellKnown(p.secret));
  const sigAll = inputs.some((p, i) => secrets[i] != null && sigFlag(p.secret) === 'SIG_ALL');
  if (!sigAll) {
    inputs.forEach((p, i) => {
      const s = secrets[i];
      if (s) verify(s.kind, p, i);
    });
    return;
  }
  const first = secrets[0];
  const sameCondition = (s: WellKnown | null | undefined) =>
    s != null &&
    first != null &&
    s.kind === first.kind &&
    JSON.stringify(s.data) === JSON.stringify(first.data) &&
    JSON.stringify(s.tags ?? []) === JSON.stringify(first.tags ?? []);
  if (!first || !secrets.every(sameCondition)) {
    throw new MintError('proof-invalid', 'SIG_ALL inputs must share kind, data and tags');
  }
  const message = [
    ...inputs.flatMap((p) => [p.secret, p.C]),
    ...outputs.flatMap((o) => [String(o.amount), o.B_]),
    ...(quoteId === undefined ? [] : [quoteId]),
  ].join('');
  verify(first.kind, inputs[0] as ConditionInput, 0, message);
}

/** `index` is the input's place in the request; `message` the SIG_ALL transaction its witness signs. */
function verify(kind: string, p: ConditionInput, index: number, message?: string): void {
  const verifier = VERIFIERS[kind];
  if (verifier === undefined) return;
  let result: P2PKVerificationResult;
  try {
    const proof: Proof = { id: p.id, amount: Amount.from(p.amount), secret: p.secret, C: p.C, witness: p.witness };
    result = verifier(proof, undefined, message);
  } catch (cause) {
    throw new MintError('proof-invalid', `malformed ${kind} spending condition`, { cause });
  }
  if (!result.success) throw new MintError('proof-invalid', `${kind} spending condition not met: ${unmet(kind, p, index, result, message !== undefined)}`);
}

/**
 * Which witness or signature is missing, in counts and places only: like the reference mints' texts, but with no
 * key, signature or secret in it (details are logged and shown by wallets).
 */
function unmet(kind: string, p: ConditionInput, index: number, r: P2PKVerificationResult, sigAll: boolean): string {
  const what = sigAll ? `input ${index}'s witness (SIG_ALL: signatures over all inputs and outputs)` : `input ${index}'s witness`;
  const signers = (path: P2PKVerificationResult['main'], which: string) =>
    `${path.receivedSigners.length} valid signature(s) of the ${path.requiredSigners} needed from the ${path.pubkeys.length} ${which} key(s)`;
  const needs = kind === 'HTLC' && r.main.pubkeys.length === 0 ? 'the preimage of the hash lock' : signers(r.main, 'locking');
  if (p.witness === undefined) return `input ${index} has no witness; it needs ${needs}`;
  let text = kind === 'HTLC' && r.main.pubkeys.length === 0 ? `${what} has no matching preimage of the hash lock` : `${what} has ${needs}`;
  if (r.refund.pubkeys.length > 0) {
    text += r.lockState === 'ACTIVE' ? '; the refund path opens at the locktime' : `; refund path: ${signers(r.refund, 'refund')}`;
  }
  return text;
}

function sigFlag(secret: string): string {
  try {
    return getP2PKSigFlag(secret);
  } catch {
    throw new MintError('proof-invalid', 'malformed spending condition');
  }
}

function wellKnown(secret: string): WellKnown | null {
  if (!secret.startsWith('[')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string') return null;
  if (!Object.hasOwn(VERIFIERS, parsed[0])) return null; // a kind this mint does not enforce (NUT-10: anyone can spend)
  const body: unknown = parsed[1];
  if (typeof body !== 'object' || body === null) return null;
  const { data, tags } = body as { data?: unknown; tags?: unknown };
  return { kind: parsed[0], data, tags };
}
