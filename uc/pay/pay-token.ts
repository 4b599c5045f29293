/**
 * POST /v1/pay (protocol.md §Payment): check the set, the period, the token's set signature and its point, then
 * claim the token in the ledger, redeem the coin, and answer the receipt ω = a·T.
 * A token whose last coin the mint refused backs off (429, token-backoff.ts). A token already paid answers its stored
 * receipt and takes no coin; a token another request is paying right now is waited for briefly (a retry racing its
 * own first attempt then gets the receipt, not an error).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { bytesToHex, DecodeError, hexToBytes, receiptForToken, verifyToken, type CurveBackend, type ReceiptKey, type Token } from '../../protocol/index.js';
import { HttpError } from '../errors.js';
import { LedgerUnavailableError, type Ledger, type TokenKey } from '../ledger/index.js';
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

/** Step 1 of /v1/pay and /v1/receipt: the set is known and the period open. Answers the set key and the token. */
async function knownToken(deps: Pick<PayDeps, 'registry'>, body: TokenBody): Promise<{ setKey: Uint8Array; token: Pick<Token, 'set' | 'period' | 'T' | 'sig'> }> {
  const { sets, openPeriods } = await deps.registry.snapshot();
  const setKey = sets.get(body.set);
  if (!setKey) throw new HttpError(404, 'unknown-set', `set ${body.set} is not known`);
  if (!openPeriods.has(body.period)) throw new HttpError(409, 'period-not-open', `period ${body.period} is not open for payment`);
  return { setKey, token: { set: body.set, period: body.period, T: hexToBytes(body.token, 48), sig: hexToBytes(body.signature, 64) } };
}

/** A check of the token's σ and point: a DecodeError becomes a 400 'bad-token'. */
function tokenChecked<R>(check: () => R): R {
  try {
    return check();
  } catch (err) {
    if (err instanceof DecodeError) throw new HttpError(400, 'bad-token', `token refused: ${err.code}`);
    throw err;
  }
}

/**
 * Steps 1–2 of /v1/receipt, as /v1/pay's: the set is known, the period open, σ verifies over T as received and T
 * decodes (no subgroup check: only set-key holders sign T, protocol.md §Payment). Answers the token's ledger key.
 */
export async function checkToken(deps: Pick<PayDeps, 'registry' | 'backend'>, body: TokenBody): Promise<TokenKey> {
  const { setKey, token } = await knownToken(deps, body);
  tokenChecked(() => verifyToken(setKey, token, deps.backend, { skipSubgroupCheck: true }));
  return { set: token.set, period: token.period, T: token.T };
}

export async function payToken(deps: PayDeps, body: PayBody): Promise<PayReply> {
  const { setKey, token } = await knownToken(deps, body);
  // σ, then T decoded once and ω = a·T (protocol/'s receiptForToken): ω is answered only once the coin is redeemed.
  const receipt = tokenChecked(() => receiptForToken(deps.receiptKey.a, setKey, token, deps.backend));
  const key: TokenKey = { set: token.set, period: token.period, T: token.T };
  deps.backoff.check(key);
  const proof = await decodeCoin(body.coin, deps.mint);
  const deadline = Date.now() + deps.waitMs;
  for (;;) {
    const claimId = randomUUID();
    const claim = await deps.ledger.claimToken(key, claimId, Date.now(), deps.leaseMs).catch((err: unknown) => {
      // A claim whose answer was lost (the primary died after its commit) would hold the token for the whole lease:
      // it is given up once the database is back (a no-op if it never committed). No coin was sent for it.
      if (err instanceof LedgerUnavailableError) void deps.redemptions.releaseClaims([{ ...key, claim: claimId }]);
      throw err;
    });
    if (claim.kind === 'paid') return { status: 'already-paid', receipt: bytesToHex(claim.receipt) };
    if (claim.kind === 'claimed') {
      await deps.redemptions.redeem({ proof, token: { ...key, claim: claim.claim, receipt } });
      return { status: 'paid', receipt: bytesToHex(receipt) };
    }
    if (Date.now() >= deadline)
      throw new HttpError(409, 'payment-in-progress', 'this token is being paid by another request; retry');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
