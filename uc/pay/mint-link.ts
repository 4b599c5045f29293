/**
 * The UC's side of the e-cash: a cashu-ts wallet at the UC's mint and unit, loaded on first use (the UC starts even
 * while its mint is down) and reloaded, at most every few seconds, when a coin names a keyset it does not know yet.
 * @module
 */
import { Mint, Wallet } from '@cashu/cashu-ts';
import { HttpError } from '../errors.js';
import { mintRequest } from './mint-request.js';

const KEYSET_REFRESH_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;

export class MintLink {
  private wallet: Promise<Wallet> | undefined;
  private lastRefresh = 0;

  constructor(
    readonly url: string,
    readonly unit: string,
  ) {}

  /** The loaded wallet, or a 503 while the mint cannot be reached. */
  async ready(): Promise<Wallet> {
    this.wallet ??= (async () => {
      const w = new Wallet(new Mint(this.url, { customRequest: mintRequest(REQUEST_TIMEOUT_MS) }), { unit: this.unit });
      await w.loadMint();
      this.lastRefresh = Date.now();
      return w;
    })();
    try {
      return await this.wallet;
    } catch (err) {
      this.wallet = undefined;
      throw new HttpError(503, 'mint-unavailable', 'the mint cannot be reached', { cause: err });
    }
  }

  /** Reloads the mint's keysets if the last load is old enough; answers whether it did. */
  async refreshKeysets(): Promise<boolean> {
    const w = await this.ready();
    if (Date.now() - this.lastRefresh < KEYSET_REFRESH_MS) return false;
    this.lastRefresh = Date.now();
    await w.loadMint(true).catch(() => undefined);
    return true;
  }
}
