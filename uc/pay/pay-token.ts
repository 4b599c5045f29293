/**
 * POST /v1/pay (protocol.md §Payment): check the set, the period, the token's set signature and its point, then
 * claim the token in the ledger, redeem the coin, and answer the receipt ω = a·T.
 * A token whose last coin the mint refused backs off (429, token-backoff.ts). A token already paid answers its stored
 * receipt and takes no coin; a token another request is paying right now is waited for briefly (a retry racing its
 * own first attempt then gets the receipt, not an error).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { bytesToHex, DecodeError, hexToBytes, issueReceipt, verifyToken, type CurveBackend, type ReceiptKey } from '../../protocol/index.js';
import { HttpError } from '../errors.js';
import type { Ledger, TokenKey } from '../ledger/index.js';
import type { Registry } from '../registry.js';
import type { PayBody, PayReply, TokenBody } from '../schemas/public.js';
import { decodeCoin } from './coin.js';
import type { MintLink } from './mint-link.js';
import type { RedemptionBatch } from './redemption-batch.js';
import type { TokenBackoff } from './token-backoff.js';

export interface PayDeps {
  ledger: Ledger;
  registry: Registry;
  receiptKey: ReceiptKey;
  mint: MintLink;
  redemptions: RedemptionBatch;
  backoff: TokenBackoff;
  backend: CurveBackend;
  /** How long a claim holds a token before another process may take it over (a UC that died mid-payment). */
  leaseMs: number;
  /** How long a request waits for a concurrent payment of the same token before answering 409. */
  waitMs: number;
}

const POLL_MS = 20;

/**
 * Steps 1–2 of /v1/pay, shared with /v1/receipt: the set is known, the period open, σ verifies over T as received
 * and T decodes. Answers the token's ledger key.
 */
export async function checkToken(deps: Pick<PayDeps, 'registry' | 'backend'>, body: TokenBody): Promise<TokenKey> {
  const { sets, openPeriods } = await deps.registry.snapshot();
  const setKey = sets.get(body.set);
  if (!setKey) throw new HttpError(404, 'unknown-set', `set ${body.set} is not known`);
  if (!openPeriods.has(body.period)) throw new HttpError(409, 'period-not-open', `period ${body.period} is not open for payment`);
  const T = hexToBytes(body.token, 48);
  try {
    // The set signature first, over T as received; T need not be checked for the subgroup (protocol.md §Payment).
    verifyToken(setKey, { set: body.set, period: body.period, T, sig: hexToBytes(body.signature, 64) }, deps.backend, {
      skipSubgroupCheck: true,
    });
  } catch (err) {
    if (err instanceof DecodeError) throw new HttpError(400, 'bad-token', `token refused: ${err.code}`);
    throw err;
  }
  return { set: body.set, period: body.period, T };
}

export async function payToken(deps: PayDeps, body: PayBody): Promise<PayReply> {
  const key = await checkToken(deps, body);
  const T = key.T;
  deps.backoff.check(key);
  const proof = await decodeCoin(body.coin, deps.mint);
  const deadline = Date.now() + deps.waitMs;
  for (;;) {
    const claim = await deps.ledger.claimToken(key, randomUUID(), Date.now(), deps.leaseMs);
    if (claim.kind === 'paid') return { status: 'already-paid', receipt: bytesToHex(claim.receipt) };
    if (claim.kind === 'claimed') {
      const receipt = issueReceipt(deps.receiptKey.a, T, deps.backend);
      await deps.redemptions.redeem({ proof, token: { ...key, claim: claim.claim, receipt } });
      return { status: 'paid', receipt: bytesToHex(receipt) };
    }
    if (Date.now() >= deadline)
      throw new HttpError(409, 'payment-in-progress', 'this token is being paid by another request; retry');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
