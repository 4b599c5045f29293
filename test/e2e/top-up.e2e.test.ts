/**
 * A top-up someone must pay (issue 14 §3), in Debian's Chromium through browser mode, on the real engine, the UC and
 * the project's mint in manual mode (its invoices are paid only by the admin call, here with the admin token), all
 * through the demo's SOCKS hop: the invoice and its QR code shown, axe-clean; paid, the balance rises; the app
 * stopped while an invoice waits, started again, shows the same invoice and mints it once paid; an invoice left
 * unpaid is said to be expired.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { createEngine, toApiError } from '../../main/engine/index.js';
import { startServers } from '../../scripts/demo-stack.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import { openApp, seriousViolations } from '../support/browser-session.js';

const ADMIN_TOKEN = 'e'.repeat(64);

async function manualStack(quoteTtlSeconds = 3600) {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-top-up-e2e-'));
  const servers = await startServers(dir, { fakePay: 'manual', adminToken: ADMIN_TOKEN, quoteTtlSeconds });
  onTestFinished(async () => {
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** The engine and the window on it, the recovery phrase confirmed (no onboarding). */
  const start = async () => {
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 3_600_000 });
    await engine.runOnce();
    if (!(await engine.getWallet()).backedUp) {
      await engine.takeSeedPhrase();
      await engine.confirmBackup();
    }
    const app = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError });
    const stop = async () => { await app.close(); await engine.close(); };
    onTestFinished(stop);
    await nav(app.page, 'Wallet').click();
    return { engine, ...app, stop };
  };
  /** Pays an invoice the way a Lightning wallet would make the mint see it paid: the mint's admin call, with its token. */
  const pay = async (request: string) => {
    const ledger = new Database(join(dir, 'mint.sqlite'), { readonly: true });
    const { id } = ledger.prepare('SELECT id FROM mint_quotes WHERE request = ?').get(request) as { id: string };
    ledger.close();
    const r = await fetch(`${servers.mintUrl}/admin/mint-quote/${id}/pay`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(r.status).toBe(200);
  };
  return { start, pay };
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const invoiceText = (page: Page) => page.getByLabel('Invoice', { exact: true }).inputValue();

describe('a top-up paid from another wallet, in the window', () => {
  it('shows the invoice with its QR code; paid, the balance rises; a restart mid-wait shows it again and mints it once', async () => {
    const { start, pay } = await manualStack();
    const first = await start();
    // The policy's amounts are the default: no warning. Another amount says what it risks.
    expect(await first.page.getByLabel('100 units').isChecked()).toBe(true);
    await first.page.getByLabel('Another amount').check();
    await first.page.getByText('An unusual amount can identify your household at the mint').waitFor();
    await first.page.getByLabel('100 units').check();
    await first.page.getByRole('button', { name: 'Top up' }).click();
    await first.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).waitFor();
    const request = await invoiceText(first.page);
    expect(request).toMatch(/^lnbcrt1u1/); // 100 sat
    await first.page.getByText('Time left:').waitFor();
    await first.page.getByRole('button', { name: 'Copy invoice' }).waitFor();
    expect(await seriousViolations(first.page)).toEqual([]);
    await first.shot('top-up-invoice');
    await pay(request);
    // The engine first (its wait may fall back to a check every 30 s if a NUT-17 message is lost), then the window.
    await expect.poll(async () => (await first.engine.getWallet()).balance, { timeout: 60_000 }).toBe(100);
    await first.page.getByText('Done: e-cash is in your wallet').waitFor();
    await first.page.getByRole('definition').getByText('100 units', { exact: true }).waitFor(); // the Balance figure

    // A second invoice, left waiting while the app stops.
    await first.page.getByLabel('200 units').check();
    await first.page.getByRole('button', { name: 'Top up' }).click();
    await first.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).waitFor();
    const waiting = await invoiceText(first.page);
    expect(waiting).toMatch(/^lnbcrt2u1/);
    await first.stop();

    const second = await start();
    await second.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).waitFor();
    expect(await invoiceText(second.page)).toBe(waiting);
    expect(await seriousViolations(second.page)).toEqual([]);
    await pay(waiting);
    // The engine first (its wait may fall back to a check every 30 s if a NUT-17 message is lost), then the window.
    await expect.poll(async () => (await second.engine.getWallet()).balance, { timeout: 60_000 }).toBe(300);
    // The window as it opens now (the live update is the first payment's check above).
    await second.page.reload();
    await nav(second.page, 'Wallet').click();
    await second.page.getByRole('definition').getByText('300 units', { exact: true }).waitFor();
    expect(await second.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).count()).toBe(0);
    await second.engine.runOnce(); // a later round mints nothing twice
    expect(await second.engine.getWallet()).toMatchObject({ balance: 300, stock: 300, waitingTopUp: null });
    expect(second.problems).toEqual([]);
  });

  it('an invoice left unpaid past its expiry is said to be expired', async () => {
    const { start } = await manualStack(3);
    const app = await start();
    await app.page.getByRole('button', { name: 'Top up' }).click();
    await app.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).waitFor();
    await app.page.getByText('This invoice has expired. Do not pay it now: start a new top-up.').first().waitFor();
    await expect.poll(async () => (await app.page.getByRole('img', { name: 'QR code of the Lightning invoice' }).count())).toBe(0);
    expect(await seriousViolations(app.page)).toEqual([]);
    await app.shot('top-up-expired');
    expect((await app.engine.getWallet()).balance).toBe(0);
  });
});
