/**
 * A top-up with a real Lightning invoice (issue 14 §3): the mint quote is noted in the wallet (with its invoice and
 * expiry) before the invoice is shown, then followed until it is paid, expires, or the engine closes: by a NUT-17
 * `bolt11_mint_quote` subscription through the SOCKS route, or, when the WebSocket cannot be opened or drops, by
 * polling the quote (NUT-04). Quotes still open at a start are followed again, and each paid quote is minted once:
 * `finish` runs in the engine's exclusive section and reads the quote's state in the wallet first.
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { TopUpView } from '../../api/index.js';
import { routeWebSocket, type SocksRoute } from '../route/index.js';
import { type Db, coinCounts } from '../wallet/index.js';

export type QuoteState = 'UNPAID' | 'PAID' | 'ISSUED';

interface TopUpRow { quote: string; units: number; state: 'quoted' | 'paid' | 'minted' | 'failed'; request: string | null; expiry: number | null }

const nowIso = () => new Date().toISOString();

/** Notes a new quote (state 'quoted'); committed before the invoice reaches the window. */
export function noteQuote(db: Db, q: { quote: string; request: string; expiry: number | null }, units: number): void {
  db.prepare("INSERT INTO top_ups (quote, units, state, request, expiry, created_at, updated_at) VALUES (?, ?, 'quoted', ?, ?, ?, ?)")
    .run(q.quote, units, q.request, q.expiry, nowIso(), nowIso());
}

export function setTopUpState(db: Db, quote: string, state: TopUpRow['state']): void {
  db.prepare('UPDATE top_ups SET state = ?, updated_at = ? WHERE quote = ?').run(state, nowIso(), quote);
}

function row(db: Db, quote: string): TopUpRow | undefined {
  return db.prepare('SELECT quote, units, state, request, expiry FROM top_ups WHERE quote = ?').get(quote) as TopUpRow | undefined;
}

export const isExpired = (expiry: number | null, nowMs = Date.now()) => expiry !== null && expiry * 1000 <= nowMs;

/** The window's view of a top-up; a failed one whose invoice's time ran out is 'expired'. */
export function topUpView(db: Db, quote: string): TopUpView {
  const r = row(db, quote);
  if (!r) throw new Error('no such top-up');
  const state = r.state === 'failed' && isExpired(r.expiry) ? 'expired' : r.state;
  return { units: r.units, state, balance: coinCounts(db).balance, request: r.request, expiry: r.expiry };
}

/** The top-ups still waiting for their invoice to be paid (or paid and not minted yet), oldest first. */
export function openTopUps(db: Db): { quote: string; expiry: number | null }[] {
  return db.prepare("SELECT quote, expiry FROM top_ups WHERE state IN ('quoted', 'paid') ORDER BY created_at").all() as { quote: string; expiry: number | null }[];
}

/** Without a timing policy's amount, the round amounts offered (the same for every household). */
const ROUND_AMOUNTS = [100, 200, 500];

/** The amounts offered: the policy's fixed amount and twice and five times it, or the round amounts without one. */
export function topUpAmounts(policyUnits?: number): number[] {
  return policyUnits === undefined ? ROUND_AMOUNTS : [1, 2, 5].map((k) => k * policyUnits);
}

/** The newest top-up still waiting to be paid, for the window after a restart; null when there is none. */
export function waitingTopUp(db: Db): TopUpView | null {
  const r = db.prepare("SELECT quote FROM top_ups WHERE state = 'quoted' AND request IS NOT NULL ORDER BY created_at DESC LIMIT 1").get() as { quote: string } | undefined;
  return r ? topUpView(db, r.quote) : null;
}

/**
 * NUT-17: subscribes to `quote` over a WebSocket through `route`; `onState` gets each state the mint announces,
 * `onLost` is called once if the socket fails or closes before `close()`.
 */
export async function subscribeQuote(route: SocksRoute | null, mintUrl: string, quote: string,
  onState: (s: QuoteState) => void, onLost: () => void): Promise<() => void> {
  const ws = await routeWebSocket(route, `${mintUrl.replace(/\/+$/, '')}/v1/ws`);
  const subId = randomBytes(8).toString('hex');
  let closing = false;
  const lost = () => { if (!closing) { closing = true; onLost(); } };
  ws.on('error', () => ws.terminate());
  ws.on('close', lost);
  ws.on('message', (data) => {
    try {
      const m = JSON.parse(data.toString()) as { method?: string; params?: { subId?: string; payload?: { quote?: string; state?: string } }; error?: unknown };
      if (m.error !== undefined) return ws.close(); // the mint refused the subscription: polling takes over
      const p = m.params?.payload;
      if (m.method === 'subscribe' && m.params?.subId === subId && p?.quote === quote && (p.state === 'UNPAID' || p.state === 'PAID' || p.state === 'ISSUED')) onState(p.state);
    } catch { ws.close(); }
  });
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'subscribe', params: { kind: 'bolt11_mint_quote', subId, filters: [quote] } }));
  return () => { closing = true; ws.close(); };
}

export interface WaitOptions {
  /** NUT-04: the quote's state now. */
  check: () => Promise<QuoteState>;
  /** NUT-17, when there is a route to open it; polling only without. */
  subscribe?: (onState: (s: QuoteState) => void, onLost: () => void) => Promise<() => void>;
  /** Unix seconds after which the invoice can no longer be paid (null: none given). */
  expiry: number | null;
  /** Polling's pause between two checks: from `firstPollMs`, doubling up to `maxPollMs`. */
  firstPollMs?: number;
  maxPollMs?: number;
  /** Gives up (resolving 'stopped') when aborted, or after `timeoutMs`. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Waits until the quote is paid (or already issued), its invoice expired, or the wait is stopped. A failing check
 * (the mint or the proxy down for a while) is tried again at the next turn.
 */
export async function waitForPayment(o: WaitOptions): Promise<QuoteState | 'expired' | 'stopped'> {
  const deadline = o.timeoutMs === undefined ? Infinity : Date.now() + o.timeoutMs;
  let announced: QuoteState | null = null;
  let subscribed = false;
  let close: (() => void) | null = null;
  // Something happened (a message, a lost socket, an abort): the next pause ends at once, even if it has not begun.
  let woken = false;
  let wake: () => void = () => {};
  const nudge = () => { woken = true; wake(); };
  const onState = (s: QuoteState) => { announced = s; nudge(); };
  // The subscription opens beside the polling, never before it: a WebSocket that hangs (a proxy or a front that does
  // not pass upgrades) must not hold the checks back. One attempt at a time.
  let subscribing = false;
  let done = false;
  const trySubscribe = () => {
    if (!o.subscribe || subscribed || subscribing) return;
    subscribing = true;
    o.subscribe(onState, () => { subscribed = false; close = null; nudge(); }).then((c) => {
      if (done) return c();
      close = c;
      subscribed = true;
    }, () => { /* no WebSocket through the proxy: polling alone */ }).finally(() => { subscribing = false; });
  };
  o.signal?.addEventListener('abort', nudge);
  try {
    trySubscribe();
    for (let pause = o.firstPollMs ?? 250; ; pause = Math.min(pause * 2, o.maxPollMs ?? 5_000)) {
      if (o.signal?.aborted || Date.now() > deadline) return 'stopped';
      const told = announced as QuoteState | null;
      const seen = told === 'PAID' || told === 'ISSUED' ? told : await o.check().catch(() => null);
      if (seen === 'PAID' || seen === 'ISSUED') return seen;
      if (isExpired(o.expiry)) return 'expired';
      // Subscribed: the mint says when it is paid; a slow check still runs now and then, in case a message is lost.
      const wait = Math.min(subscribed ? 30_000 : pause, o.expiry === null ? Infinity : Math.max(0, o.expiry * 1000 - Date.now()) + 10);
      await new Promise<void>((resolve) => {
        if (woken) return resolve();
        const t = setTimeout(resolve, wait);
        wake = () => { clearTimeout(t); resolve(); };
      });
      woken = false;
      wake = () => {};
      trySubscribe();
    }
  } finally {
    done = true;
    o.signal?.removeEventListener('abort', nudge);
    (close as (() => void) | null)?.();
  }
}

export interface FollowerOptions {
  route: () => SocksRoute | null;
  mintUrl: () => string | null;
  /** NUT-04 quote state, through the route. */
  check: (quote: string) => Promise<QuoteState>;
  /** Mints (or marks failed) in the engine's exclusive section; returns the top-up's view. */
  finish: (quote: string) => Promise<TopUpView>;
}

/** Follows each open quote once per process until it is minted or expired; `close()` stops every wait. */
export class TopUpFollower {
  private readonly following = new Map<string, Promise<TopUpView>>();
  private readonly stop = new AbortController();

  constructor(private readonly o: FollowerOptions) {}

  follow(quote: string, expiry: number | null): Promise<TopUpView> {
    const known = this.following.get(quote);
    if (known) return known;
    const run = (async () => {
      const mintUrl = this.o.mintUrl();
      await waitForPayment({
        check: () => this.o.check(quote),
        ...(mintUrl ? { subscribe: (onState, onLost) => subscribeQuote(this.o.route(), mintUrl, quote, onState, onLost) } : {}),
        expiry,
        signal: this.stop.signal,
      });
      if (this.stop.signal.aborted) throw new Error('the engine closed while the top-up waited (it resumes at the next start)');
      return this.o.finish(quote);
    })();
    this.following.set(quote, run);
    run.catch(() => {}).finally(() => this.following.delete(quote));
    return run;
  }

  /** Follows every quote of `open` not followed yet (at a start, the ones the last run left waiting). */
  resume(open: readonly { quote: string; expiry: number | null }[]): void {
    for (const q of open) void this.follow(q.quote, q.expiry).catch(() => {});
  }

  close(): void {
    this.stop.abort();
  }
}
