/**
 * A token whose coin the mint refused backs off: the same token is answered 429 with Retry-After until its time is
 * up, doubling with each refusal. A claim is released when its coin is refused, so without this one token and one
 * spent coin could make the UC ask the mint again and again, for free. Kept in memory only, bounded: the oldest
 * entries go first when it is full (a forgotten token only loses its back-off).
 * @module
 */
import { bytesToHex } from '../../protocol/index.js';
import { rateLimited } from '../errors.js';
import type { TokenKey } from '../ledger/index.js';

export interface BackoffOptions {
  /** The first back-off; each further refusal of the same token doubles it, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Tokens remembered at most. */
  maxEntries: number;
}

interface Entry { until: number; refusals: number }

const keyOf = (k: TokenKey) => `${k.set}:${k.period}:${bytesToHex(k.T)}`;

export class TokenBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: BackoffOptions, private readonly now: () => number = Date.now) {}

  /** @throws HttpError 429 'rate-limited' while the token backs off */
  check(token: TokenKey): void {
    const e = this.entries.get(keyOf(token));
    const wait = e ? e.until - this.now() : 0;
    if (wait > 0) throw rateLimited('the mint refused this token\'s last coin; retry later with a good coin', wait);
  }

  refused(token: TokenKey): void {
    const key = keyOf(token);
    const refusals = (this.entries.get(key)?.refusals ?? 0) + 1;
    this.entries.delete(key); // re-inserted last: the map's order is the eviction order
    this.entries.set(key, { refusals, until: this.now() + Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (refusals - 1)) });
    if (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
