// A top-up with an invoice someone must pay (issue 14 §3): the project's mint in manual mode, the engine through the
// SOCKS hop, the invoice paid by the test with the mint's admin token; a restart mid-wait, and an invoice left to expire.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startServers } from '../../scripts/demo-stack.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import type { EngineEvent, TopUpView } from '../api/index.js';
import { createEngine } from './index.js';

const ADMIN_TOKEN = 'f'.repeat(64);

async function stack(quoteTtlSeconds = 3600) {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-top-up-'));
  const servers = await startServers(dir, { fakePay: 'manual', adminToken: ADMIN_TOKEN, quoteTtlSeconds });
  onTestFinished(async () => { await servers.close(); rmSync(dir, { recursive: true, force: true }); });
  const upgrades: number[] = []; // the remote port of each WebSocket the mint accepted
  servers.mint.app.server.on('upgrade', (req: { socket: { remotePort?: number } }) => upgrades.push(req.socket.remotePort ?? 0));
  const open = async () => {
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000 });
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    await engine.runOnce();
    return { engine, events };
  };
  /** The invoice's payer: the mint's admin call, with its token. */
  const pay = async (quoteOf: string) => {
    const r = await fetch(`${servers.mintUrl}/admin/mint-quote/${quoteOf}/pay`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(r.status).toBe(200);
  };
  /** The quote id of an invoice, from the mint's own ledger (the engine never shows it: it is a bearer secret). */
  const quoteOf = (request: string) => {
    const ledger = new Database(join(dir, 'mint.sqlite'), { readonly: true });
    try {
      return (ledger.prepare('SELECT id FROM mint_quotes WHERE request = ?').get(request) as { id: string }).id;
    } finally {
      ledger.close();
    }
  };
  return { servers, open, pay, quoteOf, upgrades };
}

const until = async <T>(f: () => T | undefined): Promise<T> => {
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
};
const quotedIn = (events: EngineEvent[]) => () =>
  events.flatMap((e) => (e.kind === 'top-up' && e.progress.state === 'quoted' ? [e.progress] : []))[0];

describe('a top-up paid by someone else, through the SOCKS hop', () => {
  it('shows the invoice at once, waits on NUT-17 through the hop, and mints when the invoice is paid', async () => {
    const { servers, open, pay, quoteOf, upgrades } = await stack();
    const { engine, events } = await open();
    onTestFinished(() => engine.close());
    const done = engine.topUp(5);
    const shown: TopUpView = await until(quotedIn(events));
    expect(shown).toMatchObject({ units: 5, state: 'quoted', balance: 0, request: expect.stringMatching(/^lnbcrt50n1/) });
    expect(shown.expiry! * 1000).toBeGreaterThan(Date.now() + 3000 * 1000);
    expect((await engine.getWallet()).waitingTopUp).toMatchObject({ request: shown.request, state: 'quoted' });
    await until(() => (upgrades.length > 0 ? true : undefined)); // the NUT-17 subscription is open
    // It came through the hop (fail closed: the engine never dials the mint itself), on a connection of its own.
    const viaHop = servers.hop.log.filter((c) => c.localPort === upgrades[0]);
    expect(viaHop).toHaveLength(1);
    expect(servers.hop.log.filter((c) => c.username === viaHop[0]!.username)).toHaveLength(1);
    await pay(quoteOf(shown.request!));
    expect(await done).toMatchObject({ state: 'minted', balance: 5, request: shown.request });
    expect(await engine.getWallet()).toMatchObject({ balance: 5, stock: 5, waitingTopUp: null });
    expect(events.filter((e) => e.kind === 'top-up').map((e) => e.kind === 'top-up' && e.progress.state)).toEqual(['quoted', 'paid', 'minted']);
  });

  it('a top-up waiting when the app stops resumes at the next start and is minted once, when paid', async () => {
    const { open, pay, quoteOf } = await stack();
    const first = await open();
    const cut = first.engine.topUp(3);
    const shown = await until(quotedIn(first.events));
    await first.engine.close();
    await expect(cut).rejects.toThrow(/resumes at the next start/);
    const second = await open();
    onTestFinished(() => second.engine.close());
    expect((await second.engine.getWallet()).waitingTopUp).toMatchObject({ units: 3, request: shown.request });
    await pay(quoteOf(shown.request!));
    await until(() => second.events.find((e) => e.kind === 'wallet' && e.wallet.balance === 3));
    await second.engine.runOnce(); // a round after: nothing is minted twice
    expect(await second.engine.getWallet()).toMatchObject({ balance: 3, stock: 3, waitingTopUp: null });
  });

  it('an invoice not paid before its expiry is said to be expired, and nothing is minted', async () => {
    const { open } = await stack(2);
    const { engine } = await open();
    onTestFinished(() => engine.close());
    expect(await engine.topUp(4)).toMatchObject({ state: 'expired', balance: 0 });
    expect(await engine.getWallet()).toMatchObject({ balance: 0, waitingTopUp: null });
  });
});
