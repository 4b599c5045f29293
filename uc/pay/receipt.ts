/**
 * POST /v1/receipt: the receipt of a token paid earlier, answered without a coin, for a household rebuilding its
 * wallet from the seed phrase (docs/engine.md §Recovery). The same checks as /v1/pay's first two steps; the UC
 * learns nothing it did not learn when T was paid, and a token not paid answers `not-paid`.
 * @module
 */
import { bytesToHex } from '../../protocol/index.js';
import { HttpError } from '../errors.js';
import type { ReceiptReply, TokenBody } from '../schemas/public.js';
import { checkToken, type PayDeps } from './pay-token.js';

export async function receiptOf(deps: Pick<PayDeps, 'registry' | 'backend' | 'ledger'>, body: TokenBody): Promise<ReceiptReply> {
  const receipt = await deps.ledger.receipt(await checkToken(deps, body));
  if (!receipt) throw new HttpError(404, 'not-paid', 'this token is not paid');
  return { receipt: bytesToHex(receipt) };
}
