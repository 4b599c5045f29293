/**
 * A household's coin (protocol.md §Payment: "exactly one unit of e-cash"): a cashuB token string holding exactly
 * one proof of amount 1, at the UC's mint, in the UC's unit, from one of that unit's keysets. Everything here is a
 * local check; whether the proof is genuine and unspent is the mint's answer at redemption.
 * @module
 */
import { getDecodedToken, type Proof, type Token, type Wallet } from '@cashu/cashu-ts';
import { HttpError } from '../errors.js';
import type { MintLink } from './mint-link.js';

const badCoin = (message: string) => new HttpError(400, 'bad-coin', message);
const sameMint = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

function decode(coin: string, wallet: Wallet): Token | undefined {
  try {
    return getDecodedToken(coin, wallet.keyChain.getAllKeysetIds());
  } catch {
    return undefined;
  }
}

/** @throws HttpError 'bad-coin' (never echoing the coin), or 'mint-unavailable' */
export async function decodeCoin(coin: string, link: MintLink): Promise<Proof> {
  if (!coin.startsWith('cashuB')) throw badCoin('coin must be a cashuB token string');
  let wallet = await link.ready();
  let token = decode(coin, wallet);
  if (!token || !token.proofs.every((p) => wallet.keyChain.isUnitKeyset(p.id))) {
    // A keyset the mint added since we loaded it: reload (rate-limited) and look once more.
    if (await link.refreshKeysets()) {
      wallet = await link.ready();
      token = decode(coin, wallet);
    }
  }
  if (!token) throw badCoin('coin is not a decodable cashuB token of a known keyset');
  if (!sameMint(token.mint, link.url)) throw badCoin('coin is from another mint');
  if (token.unit !== undefined && token.unit !== link.unit) throw badCoin(`coin is not in unit ${link.unit}`);
  if (token.proofs.length !== 1) throw badCoin('coin must hold exactly one proof');
  const proof = token.proofs[0]!;
  if (!wallet.keyChain.isUnitKeyset(proof.id)) throw badCoin(`coin is not from a ${link.unit} keyset of the mint`);
  if (BigInt(proof.amount.toString()) !== 1n) throw badCoin('coin must be worth exactly 1');
  return proof;
}
