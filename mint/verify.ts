/**
 * Checks on a transaction's inputs (Proofs) and outputs (BlindedMessages) before anything is written:
 * NUT-00 signatures, NUT-02 keysets and units, NUT-03 duplicates and limits, NUT-10/11 spending conditions.
 * Everything here is CPU work outside the database transaction; the transaction then only records.
 * @module
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { MintError } from './errors.js';
import type { Keyset, Keysets } from './keysets.js';
import { hashToCurve, parsePoint, type PointBytes } from './native-curve.js';
import { checkSpendingConditions } from './spending-conditions.js';

/** NUT-00 Proof as received. `witness` may come as a JSON string or as an object. */
export interface ProofJson {
  amount: number;
  id: string;
  secret: string;
  C: string;
  witness?: string | object;
}

/** NUT-00 BlindedMessage as received. */
export interface BlindedMessageJson {
  amount: number;
  id: string;
  B_: string;
}

export interface Limits {
  maxInputs: number;
  maxOutputs: number;
}

export interface VerifiedInputs {
  /** Y = hash_to_curve(secret), compressed hex, in input order. */
  ys: string[];
  witnesses: (string | null)[];
  amount: number;
  fee: number;
  unit: string;
}

export interface VerifiedOutput {
  message: BlindedMessageJson;
  B_: PointBytes;
  keyset: Keyset;
}

/** Verifies every input; MintError on the first one that fails. */
export function verifyInputs(
  keysets: Keysets,
  inputs: readonly ProofJson[],
  limits: Limits,
  tx: { outputs: readonly BlindedMessageJson[]; quoteId?: string; assertUnspent: (ys: readonly string[]) => void },
): VerifiedInputs {
  if (inputs.length === 0) throw new MintError('bad-request', 'no inputs');
  if (inputs.length > limits.maxInputs) throw new MintError('max-inputs', 'too many inputs');
  if (new Set(inputs.map((p) => p.secret)).size !== inputs.length) {
    throw new MintError('duplicate-inputs', 'duplicate inputs');
  }
  const witnesses = inputs.map((p) => (p.witness === undefined ? null : typeof p.witness === 'string' ? p.witness : JSON.stringify(p.witness)));
  const inputKeysets = inputs.map((p) => {
    const keyset = keysets.get(p.id);
    if (!keyset.hasAmount(p.amount)) throw new MintError('proof-invalid', 'proof amount is not in its keyset');
    return keyset;
  });
  const units = new Set(inputKeysets.map((k) => k.unit));
  if (units.size > 1) throw new MintError('multiple-units', 'inputs of multiple units');
  const yPoints = inputs.map((p) => hashToCurve(utf8ToBytes(p.secret)));
  const ys = yPoints.map((Y) => Buffer.from(Y).toString('hex'));
  // Spent or pending inputs are refused before the costly signature checks (their state is public: NUT-07).
  tx.assertUnspent(ys);
  inputs.forEach((p, i) => {
    const C = point(p.C, 'proof-invalid');
    if (!(inputKeysets[i] as Keyset).verify(p.amount, yPoints[i] as PointBytes, C)) {
      throw new MintError('proof-invalid', 'proof verification failed');
    }
  });
  checkSpendingConditions(
    inputs.map((p, i) => ({ ...p, witness: witnesses[i] ?? undefined })),
    tx.outputs,
    tx.quoteId,
  );
  const amount = inputs.reduce((s, p) => s + p.amount, 0);
  return { ys, witnesses, amount, fee: keysets.fee(inputs.map((p) => p.id)), unit: [...units][0] as string };
}

/**
 * Verifies outputs: known, active keysets of one unit, distinct B_, valid points. With `blank` (NUT-08 change
 * outputs) the amounts are the mint's to choose and are not checked.
 */
export function verifyOutputs(
  keysets: Keysets,
  outputs: readonly BlindedMessageJson[],
  limits: Limits,
  { blank = false } = {},
): VerifiedOutput[] {
  if (outputs.length > limits.maxOutputs) throw new MintError('max-outputs', 'too many outputs');
  if (new Set(outputs.map((o) => o.B_.toLowerCase())).size !== outputs.length) {
    throw new MintError('duplicate-outputs', 'duplicate outputs');
  }
  const verified = outputs.map((message) => {
    const keyset = keysets.get(message.id);
    if (!keyset.active) throw new MintError('keyset-inactive', 'keyset is inactive, cannot sign messages');
    if (!blank && !keyset.hasAmount(message.amount)) {
      throw new MintError('bad-request', 'output amount is not in its keyset');
    }
    return { message, B_: point(message.B_, 'bad-request'), keyset };
  });
  if (new Set(verified.map((o) => o.keyset.unit)).size > 1) {
    throw new MintError('multiple-units', 'outputs of multiple units');
  }
  return verified;
}

/** Σ amounts of outputs. */
export function outputsAmount(outputs: readonly { message: BlindedMessageJson }[]): number {
  return outputs.reduce((s, o) => s + o.message.amount, 0);
}

function point(hex: string, code: 'proof-invalid' | 'bad-request'): PointBytes {
  const P = parsePoint(hex);
  if (P === null) throw new MintError(code, 'not a valid curve point');
  return P;
}
