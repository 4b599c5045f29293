/**
 * The UC's parameters, pinned at first contact (protocol.md §Keys): a UC that later shows another receipt key
 * could be tagging this household's payments with a per-user key, so a change is refused loudly, never adopted.
 * @module
 */
import { createHash } from 'node:crypto';
import { hexToBytes } from '../../../protocol/index.js';
import { EngineError } from '../errors.js';
import { type Db, nowIso, sql } from './db.js';

export interface UtilityParams {
  url: string;
  A1: Uint8Array;
  A2: Uint8Array;
  /** The rest of the UC's /v1/params answer (sets and their keys), as JSON. */
  params: string;
}

export interface PinnedUtility extends UtilityParams {
  pinnedAt: string;
}

export const keyFingerprint = (A1: Uint8Array, A2: Uint8Array): string =>
  createHash('sha256').update(A1).update(A2).digest('hex');

export function pinnedUtility(db: Db): PinnedUtility | null {
  const r = sql(db, 'SELECT * FROM utility WHERE id = 1').get() as
    | { url: string; A1: Buffer; A2: Buffer; params: string; pinned_at: string }
    | undefined;
  return r ? { url: r.url, A1: new Uint8Array(r.A1), A2: new Uint8Array(r.A2), params: r.params, pinnedAt: r.pinned_at } : null;
}

/** tpk_S as the utility published it in the parameters pinned with its key; null when they name no such set. */
export function pinnedTokenKey(pin: PinnedUtility, set: number): Uint8Array | null {
  const sets = (JSON.parse(pin.params) as { sets?: { set: number; tokenPublicKey: string }[] }).sets ?? [];
  const s = sets.find((x) => x.set === set);
  return s ? hexToBytes(s.tokenPublicKey, 33) : null;
}

/** The user accepted the utility's parameters as they are now (its mint included); its key stays pinned. */
export function adoptUtilityParams(db: Db, params: string): void {
  sql(db, 'UPDATE utility SET params = ? WHERE id = 1').run(params);
}

/**
 * Pins `p` at first contact, or checks it against the pin: a different receipt key throws 'uc-key-changed'.
 * The caller has already checked e(A1, G2) = e(G1, A2).
 */
export function pinUtility(db: Db, p: UtilityParams): PinnedUtility {
  return db.transaction((): PinnedUtility => {
    const pinned = pinnedUtility(db);
    if (!pinned) {
      sql(db, 'INSERT INTO utility (id, url, A1, A2, params, pinned_at) VALUES (1, ?, ?, ?, ?, ?)')
        .run(p.url, Buffer.from(p.A1), Buffer.from(p.A2), p.params, nowIso());
      return pinnedUtility(db)!;
    }
    if (keyFingerprint(pinned.A1, pinned.A2) !== keyFingerprint(p.A1, p.A2))
      throw new EngineError('uc-key-changed', `the utility's receipt key changed (pinned ${keyFingerprint(pinned.A1, pinned.A2).slice(0, 16)}…); refusing to pay`);
    return pinned;
  })();
}
