/**
 * Receive and Withdraw in the window, on the real engine with the real mint and UC and the demo's SOCKS hop
 * (scripts/demo-stack.ts), in Debian's Chromium through browser mode: a token of another mint refused with its
 * mint named, a token of the wallet's mint received and the same token refused as spent, a Lightning invoice
 * checked (amount and fee reserve shown before anything is spent) and paid with its change counted; axe-core in
 * light and dark. Shots go to test-results/app/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncodedToken } from '@cashu/cashu-ts';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEngine, toApiError } from '../../main/engine/index.js';
import { createMint } from '../../mint/index.js';
import { fetchCall, mintProofs } from '../../mint/test-wallet.js';
import { startServers } from '../../scripts/demo-stack.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import { openApp, seriousViolations } from '../support/browser-session.js';

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const cashuB = (mint: string, proofs: Awaited<ReturnType<typeof mintProofs>>) =>
  getEncodedToken({ mint, unit: 'sat', proofs: proofs.map((p) => ({ ...p, amount: BigInt(p.amount) })) as never });

describe('receive and withdraw in the window, on the real engine and mint', () => {
  it('a token received (another mint refused, a second paste refused), an invoice paid with change; axe-clean in light and dark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-money-e2e-'));
    const servers = await startServers(dir);
    const payee = await createMint({ dbPath: ':memory:', fakePay: 'manual' }); // a Lightning node elsewhere, issuing the invoice
    const payeeUrl = await payee.listen(0, '127.0.0.1');
    onTestFinished(async () => { await payee.close(); await servers.close(); rmSync(dir, { recursive: true, force: true }); });
    const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, tickMs: 250 });
    onTestFinished(() => engine.close());
    await engine.runOnce(); // first contact: the utility names the mint
    await engine.takeSeedPhrase();
    await engine.confirmBackup();
    await engine.topUp(20);

    const app = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError });
    onTestFinished(() => app.close());
    const { page, shot, problems } = app;
    await nav(page, 'Wallet').click();
    const receive = page.getByRole('region', { name: 'Receive e-cash' });
    const tokenBox = receive.getByLabel('Cashu token (starts with cashuA or cashuB)');

    // Another mint's token: refused, its mint named, nothing added.
    await tokenBox.fill(cashuB('http://127.0.0.1:9/elsewhere', await mintProofs(fetchCall(servers.mintUrl), [2])));
    await receive.getByRole('button', { name: 'Receive' }).click();
    await receive.getByRole('alert').getByText('That e-cash is from another mint').waitFor();
    await receive.getByRole('alert').getByText(/http:\/\/127\.0\.0\.1:9\/elsewhere/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A token of the wallet's mint: swapped at once and counted; the same text again is refused as spent.
    const token = cashuB(servers.mintUrl, await mintProofs(fetchCall(servers.mintUrl), [4, 1]));
    await tokenBox.fill(token);
    await receive.getByRole('button', { name: 'Receive' }).click();
    await receive.getByRole('status').getByText('Received 5 units. Your balance is now 25 units.').waitFor();
    expect((await engine.getWallet()).balance).toBe(25);
    await tokenBox.fill(token);
    await receive.getByRole('button', { name: 'Receive' }).click();
    await receive.getByRole('alert').getByText('That e-cash was already spent').waitFor();
    expect((await engine.getWallet()).balance).toBe(25);
    await shot('wallet-receive');

    // An invoice: checked first (amount and fee reserve, nothing spent), then paid; the unused reserve comes back.
    const { body: quote } = await fetchCall(payeeUrl)('POST', '/v1/mint/quote/bolt11', { amount: 10, unit: 'sat' });
    const withdraw = page.getByRole('region', { name: 'Withdraw to Lightning' });
    await withdraw.getByLabel('Lightning invoice (starts with lnbc)').fill(quote.request);
    await withdraw.getByRole('button', { name: 'Check the invoice' }).click();
    await withdraw.getByText('Pay 10 units, plus at most 2 units for routing').waitFor();
    expect((await engine.getWallet()).balance).toBe(25);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('wallet-withdraw-quote');
    await withdraw.getByRole('button', { name: 'Pay 10 units' }).click();
    await withdraw.getByRole('status').getByText('Paid 10 units; routing cost 1 unit, 1 unit came back. Your balance is now 14 units.').waitFor();
    expect((await engine.getWallet()).balance).toBe(14); // 25 − 10 − 1
    await page.getByRole('region', { name: 'Receive e-cash' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('wallet-withdraw-paid');
    expect(problems).toEqual([]);

    // Dark: the same forms, an invoice the mint will not pay said plainly, axe-clean.
    const dark = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, { colorScheme: 'dark' });
    onTestFinished(() => dark.close());
    await nav(dark.page, 'Wallet').click();
    const w2 = dark.page.getByRole('region', { name: 'Withdraw to Lightning' });
    await w2.getByLabel('Lightning invoice (starts with lnbc)').fill('not an invoice');
    await w2.getByRole('button', { name: 'Check the invoice' }).click();
    await w2.getByRole('alert').getByText(/not a Lightning invoice/).waitFor();
    expect(await seriousViolations(dark.page)).toEqual([]);
    await dark.shot('wallet-money-dark');
    expect(dark.problems).toEqual([]);
  });
});
