/**
 * The checks anyone runs on a period's evidence (docs/dispute.md §Checks), in order, each named, each run even
 * when an earlier one failed (the verdict names every failing one):
 *
 *   format            the file decodes (hex, lengths, types)
 *   utility-key       e(A1, G2) = e(G1, A2), and the fingerprint is SHA-256(A1 || A2)
 *   tokens-distinct   no T twice (the carousel repeats are not payments)
 *   token-signatures  every σ over (S, t, T) under the set's token key tpk_S
 *   receipts          every ω in the subgroup and e(Σ r_i·ω_i, G2) = e(Σ r_i·T_i, A2) (batch)
 *   bill-signature    β over (ID, t, fault, R_t) under the meter's bill key bpk_ID
 *   combined          C = Σ ω_i − ρ_t·A1
 *   settlement        e(C, G2) = e(R_t, A2)
 * @module
 */
import { nobleBackend, type CurveBackend } from '../backend.js';
import { bytesToHex } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { checkReceiptPublicKey } from '../keys.js';
import { verifyReceiptsBatch } from '../receipt.js';
import { combineReceipts, verifySettlementPublic } from '../settlement.js';
import { verifyBill, verifyToken } from '../signature.js';
import { type DecodedEvidence, decodeEvidence, receiptKeyFingerprint } from './evidence.js';

export type CheckName =
  | 'format' | 'utility-key' | 'tokens-distinct' | 'token-signatures' | 'receipts' | 'bill-signature' | 'combined' | 'settlement';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  detail: string;
}

export interface Verdict {
  ok: boolean;
  checks: CheckResult[];
}

/** A check that throws a DecodeError fails with its message; any other throw is a bug and propagates. */
function run(check: CheckName, body: () => string | { fail: string }): CheckResult {
  try {
    const r = body();
    return typeof r === 'string' ? { check, ok: true, detail: r } : { check, ok: false, detail: r.fail };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { check, ok: false, detail: e.message };
  }
}

const list = (xs: number[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(', ')}, …` : xs.join(', '));

function checksOf(e: DecodedEvidence, randomBytes: (n: number) => Uint8Array, backend: CurveBackend): CheckResult[] {
  const K = e.tokens.length;
  return [
    run('utility-key', () => {
      checkReceiptPublicKey(e.A1, e.A2, backend);
      if (e.fingerprint !== receiptKeyFingerprint(e.A1, e.A2)) return { fail: 'the fingerprint is not SHA-256(A1 || A2)' };
      return `A1 and A2 are one key, fingerprint ${e.fingerprint.slice(0, 16)}…`;
    }),
    run('tokens-distinct', () => {
      const seen = new Map<string, number>();
      const twice: number[] = [];
      e.tokens.forEach((t, i) => (seen.has(bytesToHex(t.T)) ? twice.push(i) : seen.set(bytesToHex(t.T), i)));
      return twice.length ? { fail: `tokens ${list(twice)} repeat an earlier T` } : `${K} different tokens`;
    }),
    run('token-signatures', () => {
      const bad: number[] = [];
      e.tokens.forEach((t, i) => {
        try {
          verifyToken(e.tokenPublicKey, { set: e.set, period: e.bill.period, T: t.T, sig: t.sig }, backend);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
          bad.push(i);
        }
      });
      return bad.length ? { fail: `tokens ${list(bad)} are not signed by set ${e.set} for period ${e.bill.period}` } : `${K} tokens signed by set ${e.set} for period ${e.bill.period}`;
    }),
    run('receipts', () => {
      const { bad } = verifyReceiptsBatch(e.A2, e.tokens.map((t) => ({ T: t.T, receipt: t.receipt })), randomBytes, backend);
      return bad.length ? { fail: `receipts ${list(bad)} do not verify against A2` } : `${K} receipts verify against A2`;
    }),
    run('bill-signature', () => {
      if (!e.billPublicKey) return { fail: 'the file carries no bill key (a wallet from before the bill key was stored)' };
      verifyBill(e.billPublicKey, e.bill, backend);
      return `bill of meter ${e.bill.meter}, period ${e.bill.period}${e.bill.fault ? ' (faulty)' : ''}, signed by its bill key`;
    }),
    run('combined', () => {
      const C = combineReceipts(e.tokens.map((t) => t.receipt), e.mask, e.A1, backend);
      return bytesToHex(C) === bytesToHex(e.combined) ? `C = Σω − ρ·A1 over ${K} receipts` : { fail: `C is not Σω − ρ·A1 over the ${K} receipts` };
    }),
    run('settlement', () => (verifySettlementPublic(e.A2, e.bill.R, e.combined, backend) ? 'e(C, G2) = e(R, A2)' : { fail: 'e(C, G2) ≠ e(R, A2): C does not match the bill' })),
  ];
}

/**
 * @param json - the parsed file
 * @param randomBytes - a CSPRNG for the batch's coefficients (protocol/ has no randomness of its own)
 */
export function verifyEvidence(json: unknown, randomBytes: (n: number) => Uint8Array, backend: CurveBackend = nobleBackend): Verdict {
  let decoded: DecodedEvidence | undefined;
  const format = run('format', () => {
    decoded = decodeEvidence(json);
    return `${decoded.tokens.length} tokens, period ${decoded.bill.period}`;
  });
  const checks = decoded ? [format, ...checksOf(decoded, randomBytes, backend)] : [format];
  return { ok: checks.every((c) => c.ok), checks };
}
