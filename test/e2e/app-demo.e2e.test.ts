/**
 * The window on a running `npm run demo` (issue 7): the demo's mint, UC, socat serial link, accelerated meter
 * emulator, SOCKS hop and engine, with browser mode; Debian's Chromium walks onboarding, sees the meter's readings
 * drawn and tokens paid, tops up, and waits for the first settled period. Screens shot into test-results/app/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { requireSocat } from '../support/pty.js';
import { buildRenderer, ROOT } from '../support/browser-build.js';
import { launchChromium, seriousViolations, SHOTS } from '../support/browser-session.js';

/** Starts the demo with a fresh data folder; resolves with the app's URL once it prints it. */
function startDemo(dataDir: string): Promise<{ demo: ChildProcess; url: string }> {
  const demo = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/demo.ts'), '--data', dataDir, '--period-seconds', '15'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    demo.once('exit', (code) => reject(new Error(`the demo exited with ${code} before opening the app`)));
    createInterface({ input: demo.stdout! }).on('line', (l) => {
      const url = /Open the app: (\S+)/.exec(l)?.[1];
      if (url) resolve({ demo, url });
    });
  });
}

const stat = (page: Page, label: string) => page.locator('.stat', { hasText: label }).locator('dd');
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });

describe('the window on a running demo', () => {
  it('onboarding, readings drawn, tokens paid, a top-up, and the first settled period', async () => {
    requireSocat();
    await buildRenderer(join(ROOT, 'dist', 'renderer'), { fresh: false });
    const dataDir = mkdtempSync(join(tmpdir(), 'sipster-demo-app-'));
    const { demo, url } = await startDemo(dataDir);
    onTestFinished(async () => {
      const exited = new Promise((r) => demo.once('exit', r));
      demo.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    });
    const browser = await launchChromium();
    onTestFinished(() => browser.close());
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    await page.goto(url);

    await page.getByRole('button', { name: 'Create my wallet' }).click();
    await page.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem').nth(11).waitFor(); // the engine answers from its own process
    const words = await page.getByRole('list', { name: 'Recovery phrase' }).getByRole('listitem').allInnerTexts();
    await page.getByRole('button', { name: 'I wrote them down' }).click();
    await page.getByLabel('Word', { exact: false }).first().waitFor();
    for (const l of await page.locator('form label').allInnerTexts()) await page.getByLabel(l, { exact: true }).fill(words[Number(l.replace('Word ', '')) - 1]!);
    await page.getByRole('button', { name: 'Check' }).click();
    // The demo's meter is the host's demo meter, already read; no serial port lists it.
    await expect.poll(() => page.getByLabel('The demo meter (simulated data, for trying Sipster Home)').isChecked()).toBe(true);
    await page.getByText('the demo meter — data is arriving from the meter.').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot('demo-onboarding-meter');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Use this utility' }).click();
    await page.getByText(/^[0-9A-F]{4} [0-9A-F]{4} /).first().waitFor({ timeout: 30_000 });
    await shot('demo-onboarding-utility');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('button', { name: 'Open Sipster Home' }).click();

    // The emulator's telegrams arrive through the pty: the chart fills.
    await page.getByLabel('Show').selectOption('power');
    await expect.poll(async () => Number(await page.locator('.chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(5);
    await shot('demo-home');

    await nav(page, 'Payments').click();
    await expect.poll(async () => Number(await stat(page, 'Paid, receipt verified').innerText()), { timeout: 60_000 }).toBeGreaterThan(0);
    await shot('demo-payments');

    await nav(page, 'Wallet').click();
    const balance = async () => Number((await stat(page, 'Balance').innerText()).replace(/\D/g, ''));
    await page.getByLabel('Another amount').check();
    await page.getByLabel('Units to add').fill('10');
    await page.getByRole('button', { name: 'Top up' }).click();
    await page.getByText('Done: e-cash is in your wallet').waitFor({ timeout: 30_000 });
    expect(await balance()).toBeGreaterThan(0);
    await shot('demo-wallet');

    await nav(page, 'Settlement').click();
    await page.getByText(/^Settled \(the utility answered/).first().waitFor({ timeout: 120_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot('demo-settlement');
    expect(problems).toEqual([]);
  });
});
