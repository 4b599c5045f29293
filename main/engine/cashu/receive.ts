/**
 * Receiving e-cash from elsewhere: a pasted Cashu token (NUT-00, cashuA… or cashuB…) of the pinned mint and unit,
 * swapped at once for fresh proofs of this wallet's seed (EcashWallet.swapIn: noted first, DLEQ checked), so the
 * sender cannot spend it again. A token of another mint is refused with that mint named: taking it would mean
 * contacting a mint the utility did not name.
 * @module
 */
import { getDecodedToken, getTokenMetadata, normalizeMintUrl } from '@cashu/cashu-ts';
import { EngineError } from '../errors.js';
import type { ProofRecord } from '../wallet/index.js';
import { type EcashWallet, MAX_SWAP_INPUTS, toRecord } from './ecash-wallet.js';

const sameMint = (a: string, b: string) => {
  try { return normalizeMintUrl(a) === normalizeMintUrl(b); } catch { return false; }
};

/** Swaps the token in `text` into the wallet; returns the units received. */
export async function receiveEcash(ecash: EcashWallet, text: string): Promise<number> {
  const token = typeof text === 'string' ? text.trim() : '';
  if (!/^(cashu:)?cashu[AB]/.test(token)) throw new EngineError('bad-request', 'not a Cashu token: paste the text that starts with cashuA or cashuB');
  let meta: { mint: string; unit: string };
  try { meta = getTokenMetadata(token); } catch (e) { throw new EngineError('bad-request', 'the Cashu token cannot be read (cut short or mistyped?)', { cause: e }); }
  if (!sameMint(meta.mint, ecash.mintUrl)) throw new EngineError('other-mint', `this token is e-cash of another mint (${meta.mint.slice(0, 200)}); this wallet takes e-cash of ${ecash.mintUrl} only`);
  if (meta.unit !== ecash.unit) throw new EngineError('other-mint', `this token is in '${meta.unit.slice(0, 20)}'; this wallet holds '${ecash.unit}'`);
  await ecash.recover(); // an earlier swap cut short is finished first
  const w = await ecash.ready();
  let proofs: ProofRecord[];
  try {
    proofs = getDecodedToken(token, w.keyChain.getAllKeysetIds()).proofs.map(toRecord);
    for (const p of proofs) if (w.keyChain.getKeyset(p.id).unit !== ecash.unit) throw new Error('a proof of another unit');
  } catch (e) {
    throw new EngineError('bad-request', 'the Cashu token names a keyset this mint does not have (or cannot be read)', { cause: e });
  }
  if (proofs.length === 0) throw new EngineError('bad-request', 'the Cashu token holds no e-cash');
  if (proofs.length > MAX_SWAP_INPUTS) throw new EngineError('bad-request', `the Cashu token holds ${proofs.length} proofs, more than one swap takes here (${MAX_SWAP_INPUTS}): ask the sender for fewer, larger ones`);
  const states = await ecash.proofStates(proofs);
  if (proofs.some((p) => states.get(p.secret) !== 'UNSPENT'))
    throw new EngineError('token-spent', 'this token was already spent (received before, here or in another wallet): nothing was added');
  const fresh = await ecash.swapIn(proofs);
  await ecash.splitStock();
  return fresh.reduce((s, p) => s + p.amount, 0);
}
