/**
 * First contact with the UC (protocol.md §Keys): fetch /v1/params through the route, check e(A1, G2) = e(G1, A2),
 * and pin the key with the mint it names, or refuse a changed key with 'uc-key-changed' and another mint with
 * 'mint-changed' (a utility answering each household with its own mint URL would link all of its payments).
 * @module
 */
import { type CurveBackend, bytesToHex, checkReceiptPublicKey } from '../../protocol/index.js';
import { EngineError } from './errors.js';
import { getParams, type UcParams } from './pay/index.js';
import type { SocksRoute } from './route/index.js';
import type { UtilityView } from '../api/index.js';
import { type Db, type PinnedUtility, getMeta, pinUtility, setMeta } from './wallet/index.js';

/**
 * `twice`: read over two independent circuits and compared first (fetchConsistent), as at first contact and once per
 * period; else once (after an outage).
 */
export async function fetchAndPin(db: Db, route: SocksRoute | null, ucUrl: string, backend: CurveBackend, twice: boolean): Promise<{ pin: PinnedUtility; params: UcParams }> {
  const params = await (twice ? fetchConsistent : fetchChecked)(route, ucUrl, backend);
  const pin = pinUtility(db, { url: ucUrl, A1: params.A1, A2: params.A2, params: params.raw });
  noteSetSizes(db, params);
  const was = pinnedMint(pin);
  if (was && (was.url !== params.mint.url || was.unit !== params.mint.unit))
    throw new EngineError('mint-changed', `the utility now names another mint (${params.mint.url}, ${params.mint.unit}) than the one pinned with its key (${was.url}, ${was.unit}); refusing to pay`);
  return { pin, params };
}

/** Below this many households in a set the window warns: the utility can link payments to few households (docs/threat-model.md). */
export const SMALL_ANONYMITY_SET = 50;

/** The sets' sizes change as meters are registered: the latest answer's are kept (meta `set-sizes`) and shown. */
export function noteSetSizes(db: Db, params: UcParams): void {
  setMeta(db, 'set-sizes', JSON.stringify(params.sets.map((s) => ({ set: s.set, size: s.size }))));
}

/** The anonymity sets as the window shows them. */
export function anonymitySets(db: Db): UtilityView['anonymitySets'] {
  const sets = JSON.parse(getMeta(db, 'set-sizes') ?? '[]') as { set: number; size: number | null }[];
  return sets.map((s) => ({ ...s, small: s.size !== null && s.size < SMALL_ANONYMITY_SET }));
}

/** The mint (URL, unit) the utility named when its key was pinned. */
export function pinnedMint(pin: PinnedUtility): { url: string; unit: string } | null {
  const m = (JSON.parse(pin.params) as { mint?: { url?: unknown; unit?: unknown } }).mint;
  return typeof m?.url === 'string' && typeof m.unit === 'string' ? { url: m.url, unit: m.unit } : null;
}

/** What must be the same for every household: the receipt key, the sets with their token keys, the mint. */
const sameForEveryone = (p: UcParams) => JSON.stringify([bytesToHex(p.A1), bytesToHex(p.A2),
  [...p.sets].sort((x, y) => x.set - y.set).map((s) => [s.set, bytesToHex(s.tokenPublicKey)]), p.mint.url, p.mint.unit]);

/**
 * Key consistency (as Privacy Pass checks it): /v1/params read twice at once, each request on its own SOCKS
 * connection with its own fresh credentials, so Tor's IsolateSOCKSAuth puts them on two circuits. A utility that
 * shows some connections another receipt key, other sets or another mint (to single a household out) is refused
 * with 'params-inconsistent'. The sets' sizes may differ (a meter registered in between).
 */
export async function fetchConsistent(route: SocksRoute | null, ucUrl: string, backend: CurveBackend): Promise<UcParams> {
  const [a, b] = await Promise.all([fetchChecked(route, ucUrl, backend), fetchChecked(route, ucUrl, backend)]);
  if (sameForEveryone(a) !== sameForEveryone(b))
    throw new EngineError('params-inconsistent', 'the utility answered two independent circuits with different keys, sets or mints: it may be singling this household out; refusing to pay');
  return a;
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
