/**
 * The window on the real engine (main/engine createEngine) with the real mint and UC and the demo's SOCKS hop
 * (scripts/demo-stack.ts), in Debian's Chromium through browser mode: onboarding with the engine's own seed phrase
 * and the pinned UC fingerprint (the utility named again through the hop), a top-up at the mint, readings drawn, tokens paid with verified receipts, the bill,
 * and the period settled by the UC, every screen checked by axe-core and shot into test-results/app/.
 * Meter data comes in through `engine.ingest` (the link's typed events), as the bridge would deliver it; the unplug
 * test instead reads telegrams from a real socat pty through the engine's own serial link, and kills socat.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import { createEngine, toApiError } from '../../main/engine/index.js';
import { billGen, bytesToHex, encodeTelegram, newMeterState, p256PublicKey, tokenGen, type MeterState, type Readings } from '../../protocol/index.js';
import { registerMeter, startServers } from '../../scripts/demo-stack.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { openApp, seriousViolations } from '../support/browser-session.js';
import { ptyPair } from '../support/pty.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';


const reading = (kwh: number, kw: number): Readings => ({
  header: 'SIP5SIPSTER-E2E', importKwh: { total: kwh }, exportKwh: {}, powerImportKw: kw, voltageV: {}, currentA: {},
  powerImportKwPhases: {}, powerExportKwPhases: {}, powerFailureLog: [], mbus: [], objects: 4,
});

async function realStack(serial?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-app-e2e-'));
  const servers = await startServers(dir);
  onTestFinished(async () => {
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(servers.uc.adminUrl, servers.adminToken,
    { meter: 'M-E2E', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1, 2]);
  let meter: MeterState = newMeterState('M-E2E', 1, 1, new Uint8Array(randomBytes(32)));
  const tokens = (n: number) => Array.from({ length: n }, () => {
    const g = tokenGen(meter, setKey);
    meter = g.state;
    return g.token;
  });
  const engine = await createEngine({
    unlock: testUnlock,
    dataDir: join(dir, 'home'), ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, tickMs: 250,
    ...(serial ? { serial: { port: serial } } : {}),
  });
  onTestFinished(() => engine.close());
  return { servers, engine, tokens, bill: (period: number) => billGen(meter, period, billKey) };
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

describe('the window on the real engine, UC and mint', () => {
  it('onboarding to the first settled period', async () => {
    const { servers, engine, tokens, bill } = await realStack();
    await engine.runOnce();
    const fingerprint = (await engine.getStatus()).utility.fingerprint!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const app = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError });
    onTestFinished(() => app.close());
    const { page, shot, problems } = app;

    // Onboarding: the engine's own phrase, typed back; the UC's pinned fingerprint; the demo hop said plainly.
    await page.getByRole('button', { name: 'Create my wallet' }).click();
    const words = await page.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem').allInnerTexts();
    expect(words).toHaveLength(12);
    await page.getByRole('button', { name: 'I wrote them down' }).click();
    for (const l of await page.locator('form label').allInnerTexts()) await page.getByLabel(l, { exact: true }).fill(words[Number(l.replace('Word ', '')) - 1]!);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('heading', { name: 'Your meter' }).waitFor();
    expect((await engine.getWallet()).backedUp).toBe(true);
    // This host has no demo meter: the engine says so in plain words.
    await page.getByLabel('The demo meter (simulated data, for trying Sipster Home)').check();
    await page.getByRole('button', { name: 'Use this meter' }).click();
    await page.getByRole('alert').getByText('This computer has no demo meter').waitFor();
    await shot('engine-onboarding-meter');
    await page.getByRole('button', { name: 'Continue' }).click();
    // The utility named again: fetched through the hop, its key checked against the pin.
    const hopped = servers.hop.log.length;
    await page.getByRole('button', { name: 'Use this utility' }).click();
    await expect.poll(() => servers.hop.log.length).toBeGreaterThan(hopped);
    await page.getByText(fingerprint.slice(0, 8).toUpperCase().replace(/(.{4})/, '$1 ')).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('engine-onboarding-utility');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('This is the demo\'s own proxy: it hides nothing.').waitFor();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Open Sipster Home' }).click();

    // A top-up at the real mint.
    await nav(page, 'Wallet').click();
    await page.getByLabel('Another amount').check();
    await page.getByLabel('Units to add').fill('12');
    await page.getByRole('button', { name: 'Top up' }).click();
    await page.getByText('Done: e-cash is in your wallet').waitFor();
    await expect.poll(async () => (await engine.getWallet()).balance).toBe(12);
    await shot('engine-wallet');

    // Readings drawn, then tokens paid through the hop with verified receipts.
    for (let i = 0; i < 300; i++) engine.ingest({ kind: 'reading', readings: reading(1000 + i * 0.05, 0.4 + (i % 7) / 10) });
    await nav(page, 'Home').click();
    await page.getByLabel('Show').selectOption('power');
    await expect.poll(() => page.locator('.chart').getAttribute('data-points')).toBe('300');
    await page.getByText('Meter: receiving').waitFor();
    for (const token of tokens(5)) engine.ingest({ kind: 'token', token });
    await nav(page, 'Payments').click();
    await expect.poll(async () => (await engine.getPeriod(1)).paid, { timeout: 30_000 }).toBe(5);
    await page.locator('.stat', { hasText: 'Paid, receipt verified' }).getByText('5', { exact: true }).waitFor();
    await page.locator('.stat', { hasText: 'Tokens received this period' }).getByText('5', { exact: true }).waitFor();
    await page.getByText('Nothing waiting: every token so far is paid.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('engine-payments');

    // The bill; the engine settles with the UC; the window shows the UC's answer.
    engine.ingest({ kind: 'bill', bill: bill(1) });
    await nav(page, 'Settlement').click();
    const row = page.getByRole('row', { name: /Period 1/ });
    await row.getByText('Settled (the utility answered “settled”)').waitFor({ timeout: 30_000 });
    await row.getByText('received (5 units)').waitFor();
    await row.getByText('all 5 present').waitFor();
    // The period's dates (no telegram time stamps were ingested here: the engine's clock) and its exact cost.
    const p1 = await engine.getPeriod(1);
    expect(p1.start).not.toBeNull();
    expect(p1.end).not.toBeNull();
    await row.getByText('€0.50 (5 units)').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('engine-settlement');
    // Export writes the period's evidence, the same as `engine export` (its checks: main/engine/engine.int.test.ts).
    const saved = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Export the evidence of period 1' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe('sipster-period-1-evidence.json');
    const evidence = JSON.parse(readFileSync(await download.path(), 'utf8')) as { format: string; tokens: unknown[] };
    expect(evidence).toEqual(await engine.exportReceipts(1));
    expect(evidence.format).toBe('sipster-dispute-evidence');
    expect(evidence.tokens).toHaveLength(5);
    expect((await engine.getWallet())).toMatchObject({ spent: 5, balance: 7 });
    // Every request went through the hop, each with its own SOCKS username; the page saw no token bytes.
    expect(new Set(servers.hop.log.map((c) => c.username)).size).toBe(servers.hop.log.length);
    expect(await page.content()).not.toMatch(/[0-9a-f]{64}/);
    expect(problems).toEqual([]);
  });

  it('shows the meter unplugged and recovered (a real pty through the engine serial link)', async () => {
    const pty = await ptyPair();
    onTestFinished(() => pty.close());
    const { engine } = await realStack(pty.a);
    await engine.confirmBackup();
    const app = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError });
    onTestFinished(() => app.close());
    const { page, shot } = app;
    const telegram = () => writeFileSync(pty.b, encodeTelegram('SIP5SIPSTER-E2E', ['1-0:1.8.0(001234.567*kWh)', '1-0:1.7.0(00.450*kW)']));
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    telegram();
    await page.getByText('Meter: receiving').waitFor({ timeout: 20_000 });
    await pty.unplug();
    await page.getByText('Meter: disconnected').waitFor({ timeout: 20_000 });
    await page.getByRole('alert').getByText('The meter is not sending data.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot('engine-meter-unplugged');
    await pty.plug();
    // The link reopens the port by itself; the next telegram shows the meter back.
    await expect.poll(async () => {
      telegram();
      return (await engine.getStatus()).meter.state;
    }, { timeout: 30_000, interval: 1000 }).toBe('receiving');
    await page.getByText('Meter: receiving').waitFor({ timeout: 10_000 });
    expect(await page.getByText('The meter is not sending data.').count()).toBe(0);
  });
});
