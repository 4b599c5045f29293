/**
 * First contact with the UC (protocol.md §Keys): fetch /v1/params through the route, check e(A1, G2) = e(G1, A2),
 * and pin the key, or refuse a changed one with 'uc-key-changed'.
 * @module
 */
import { type CurveBackend, checkReceiptPublicKey } from '../../protocol/index.js';
import { EngineError } from './errors.js';
import { getParams, type UcParams } from './pay/index.js';
import type { SocksRoute } from './route/index.js';
import { type Db, type PinnedUtility, pinUtility } from './wallet/index.js';

export async function fetchAndPin(db: Db, route: SocksRoute | null, ucUrl: string, backend: CurveBackend): Promise<{ pin: PinnedUtility; params: UcParams }> {
  const params = await fetchChecked(route, ucUrl, backend);
  return { pin: pinUtility(db, { url: ucUrl, A1: params.A1, A2: params.A2, params: params.raw }), params };
}

/** /v1/params through the route, with the receipt key checked; nothing pinned yet. */
export async function fetchChecked(route: SocksRoute | null, ucUrl: string, backend: CurveBackend): Promise<UcParams> {
  const p = await getParams(route, ucUrl);
  try {
    checkReceiptPublicKey(p.A1, p.A2, backend);
  } catch (e) {
    throw new EngineError('uc-rejected', "the utility's receipt key does not check out (e(A1, G2) ≠ e(G1, A2))", { cause: e });
  }
  return p;
}
