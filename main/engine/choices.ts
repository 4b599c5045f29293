/**
 * What the household chooses in the window, checked here since it crosses a process boundary, and kept in the
 * wallet's meta: the meter's source, the utility (a new one is pinned only through this explicit choice, and only
 * when no period is left unsettled with the old one), the mint, and the tariff used to show cost. Also the port list
 * the meter is chosen from.
 * @module
 */
import { LinkError, type PortCandidate, listPorts as listSerialPorts, networkAddress, parseNetworkSource, probePorts } from '../../bridge/index.js';
import type { CurveBackend } from '../../protocol/index.js';
import type { MeterChoice, MeterEncryption, MeterLine, SerialPortView, TariffView } from '../api/index.js';
import { EngineError } from './errors.js';
import type { UcParams } from './pay/index.js';
import { type SocksRoute, cleartextRefusal } from './route/index.js';
import { fetchChecked, noteSetSizes } from './utility-contact.js';
import { type Db, type PinnedUtility, adoptUtilityParams, coinCounts, deleteMeta, getMeta, pinUtility, pinnedUtility, setMeta } from './wallet/index.js';

const bad = (message: string) => new EngineError('bad-request', message);

const LINES: readonly MeterLine[] = ['dsmr4', 'dsmr22'];

export function checkMeterChoice(c: unknown): MeterChoice {
  const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
  if (o.kind === 'none' || o.kind === 'demo') return { kind: o.kind };
  if (o.line !== undefined && !LINES.includes(o.line as MeterLine)) throw bad('a meter\'s line settings are "dsmr4" (115200 baud, CRC) or "dsmr22" (9600 baud 7E1, no CRC)');
  const line = (o.line as MeterLine | undefined) ?? 'dsmr4';
  if (o.kind === 'port' && typeof o.path === 'string' && o.path.length > 0 && o.path.length <= 256 && !o.path.includes('\0'))
    return o.dlms === undefined ? { kind: 'port', path: o.path, line } : { kind: 'port', path: o.path, line, dlms: checkEncryption(o.dlms) };
  if (o.kind === 'network' && typeof o.address === 'string') {
    try {
      return { kind: 'network', address: networkAddress(parseNetworkSource(o.address.trim())), line };
    } catch (e) {
      if (e instanceof LinkError) throw bad(e.message);
      throw e;
    }
  }
  throw bad('a meter is {kind: "port", path, line?, dlms?}, {kind: "network", address, line?}, {kind: "demo"} or {kind: "none"}');
}

const KEY = /^[0-9a-fA-F]{32}$/;

/** An encrypted meter's keys; a bad one is refused without repeating it (it is a secret). */
function checkEncryption(e: unknown): MeterEncryption {
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  if (o.framing !== 'raw' && o.framing !== 'mbus' && o.framing !== 'hdlc') throw bad('the meter\'s framing is "raw", "mbus" or "hdlc"');
  if (typeof o.key !== 'string' || !KEY.test(o.key)) throw bad('the meter\'s key (GUEK) must be 32 hex digits');
  if (o.authKey !== undefined && o.authKey !== null && (typeof o.authKey !== 'string' || !KEY.test(o.authKey)))
    throw bad('the meter\'s authentication key (GAK) must be 32 hex digits');
  return { framing: o.framing, key: o.key.toLowerCase(), ...(o.authKey === undefined ? {} : { authKey: o.authKey === null ? null : o.authKey.toLowerCase() }) };
}

export function readMeterChoice(db: Db): MeterChoice | null {
  const c = getMeta(db, 'meter-choice');
  if (!c) return null;
  const choice = JSON.parse(c) as MeterChoice;
  return choice.kind === 'port' || choice.kind === 'network' ? { ...choice, line: choice.line ?? 'dsmr4' } : choice; // chosen before line settings existed
}

export const writeMeterChoice = (db: Db, c: MeterChoice): void => setMeta(db, 'meter-choice', JSON.stringify(c));

/** An https (or .onion, or loopback http) base URL without credentials (they would travel in every request's log line). */
export function checkBaseUrl(u: unknown, what: string): string {
  let url: URL;
  try {
    url = new URL(String(u));
  } catch {
    throw bad(`the ${what} address is not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '' || String(u).length > 2048)
    throw bad(`the ${what} address must be an http:// or https:// address without a user name or password`);
  const refusal = cleartextRefusal(url, what);
  if (refusal) throw bad(refusal);
  return url.href.replace(/\/$/, '');
}

/**
 * Ports with their USB names and the line settings P1 was heard at. The port the link holds open is locked, so it is
 * not probed: it speaks P1, at the settings it is open with, when the meter state says data is arriving. A chosen
 * port the system does not list (a pty) is shown too.
 */
export async function portViews(probe: boolean, open: { path: string | null; line: MeterLine; receiving: boolean }, list: () => Promise<PortCandidate[]> = listSerialPorts): Promise<SerialPortView[]> {
  const listed = await list().catch(() => [] as PortCandidate[]);
  if (open.path !== null && !listed.some((p) => p.path === open.path)) listed.push({ path: open.path });
  const toProbe = probe ? listed.filter((p) => p.path !== open.path).map((p) => p.path) : [];
  const heard = new Map((await probePorts(toProbe)).map((h, i) => [toProbe[i]!, h]));
  return listed.map((p) => {
    const line = !probe ? null : p.path === open.path ? (open.receiving ? open.line : null) : (heard.get(p.path) ?? null);
    return {
      path: p.path, manufacturer: p.manufacturer ?? null, product: p.product ?? null, vendorId: p.vendorId ?? null, productId: p.productId ?? null,
      speaksP1: probe ? line !== null : null, line,
    };
  });
}

/** Periods with tokens or a bill that are not settled yet. */
export function unsettledPeriods(db: Db): number[] {
  return (db.prepare(`SELECT period FROM (SELECT period FROM tokens UNION SELECT period FROM bills)
    WHERE period NOT IN (SELECT period FROM settlements WHERE state = 'settled') ORDER BY period`).all() as { period: number }[]).map((r) => r.period);
}

/**
 * Names the utility. The same address re-checks its key against the pin and adopts the mint it names now (the user's
 * answer to 'mint-changed'); another address is fetched through the
 * route, its key checked, and pinned in place of the old one, which is refused while a period is unsettled (its
 * receipts and its settlement belong to the old utility's key).
 */
export async function switchUtility(db: Db, route: SocksRoute | null, url: string, backend: CurveBackend, followMint: boolean): Promise<{ pin: PinnedUtility; params: UcParams }> {
  const old = pinnedUtility(db);
  if (old && old.url !== url) {
    const open = unsettledPeriods(db);
    if (open.length > 0)
      throw bad(`period ${open.join(', ')} is not settled with ${old.url} yet: the utility can change once every period is settled`);
  }
  const params = await fetchChecked(route, url, backend);
  const pin = db.transaction(() => {
    if (old && old.url !== url) db.prepare('DELETE FROM utility WHERE id = 1').run();
    setMeta(db, 'uc-url', url);
    noteUtilityTariff(db, params.tariff);
    noteSetSizes(db, params);
    const pin = pinUtility(db, { url, A1: params.A1, A2: params.A2, params: params.raw });
    adoptUtilityParams(db, params.raw); // naming the utility again is the user's word on the mint it names now
    if (followMint) chooseMint(db, null, params.mint.url); // refused (and all of this undone) while coins of another mint are held
    return { ...pin, params: params.raw };
  })();
  return { pin, params };
}

/** The mint the user named (meta 'mint-choice'), or null to follow the utility's. */
export const chosenMint = (db: Db): string | null => getMeta(db, 'mint-choice') || null;

/**
 * Names the mint (null: the utility's). Coins belong to their mint's keys: the mint cannot change while the wallet
 * holds any, or they would be stranded.
 */
export function chooseMint(db: Db, url: string | null, utilityMint: string | null): string {
  const clean = url === null ? null : checkBaseUrl(url, 'mint');
  const next = clean ?? utilityMint ?? getMeta(db, 'mint-url') ?? '';
  const current = getMeta(db, 'mint-url') ?? '';
  const c = coinCounts(db);
  if (next !== current && c.balance + c.reserved > 0)
    throw bad(`the wallet holds ${c.balance + c.reserved} units from ${current}: a new mint can be chosen once they are spent`);
  setMeta(db, 'mint-choice', clean ?? '');
  setMeta(db, 'mint-url', next);
  return next;
}

/** The emulator's defaults (unit of expense 0.10; 0.22 low, 0.30 normal per kWh): shown until the user sets theirs. */
export const DEFAULT_TARIFF: TariffView = { currency: 'EUR', tokenValue: 0.1, perKWh: [0.22, 0.3], source: 'default' };

/** The user's prices first, then the ones the utility publishes, else the example ones. */
export function readTariff(db: Db): TariffView {
  for (const [key, source] of [['tariff', 'user'], ['utility-tariff', 'utility']] as const) {
    const t = getMeta(db, key);
    if (t) return { ...(JSON.parse(t) as Omit<TariffView, 'source'>), source };
  }
  return DEFAULT_TARIFF;
}

/** A tariff as the API and /v1/params carry it, checked; null when it is not one. */
function cleanTariff(t: unknown): Omit<TariffView, 'source'> | null {
  const o = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
  const price = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x < 1e6;
  if (typeof o.currency !== 'string' || !/^[A-Za-z]{3}$/.test(o.currency) || !price(o.tokenValue) || (o.tokenValue as number) === 0
    || !Array.isArray(o.perKWh) || o.perKWh.length < 1 || o.perKWh.length > 4 || !o.perKWh.every(price)) return null;
  return { currency: o.currency.toUpperCase(), tokenValue: o.tokenValue as number, perKWh: o.perKWh as number[] };
}

export function writeTariff(db: Db, t: unknown): TariffView {
  const clean = cleanTariff(t);
  if (!clean) throw bad('a tariff is a 3-letter currency, a token value above 0, and 1 to 4 prices per kWh of 0 or more');
  setMeta(db, 'tariff', JSON.stringify(clean));
  return { ...clean, source: 'user' };
}

/** Keeps the tariff the utility publishes in /v1/params (one for every household); one it cannot read is dropped. */
export function noteUtilityTariff(db: Db, published: unknown): void {
  const clean = cleanTariff(published);
  if (clean) setMeta(db, 'utility-tariff', JSON.stringify(clean));
  else deleteMeta(db, 'utility-tariff');
}
