/**
 * The Electron smoke test's checks (smoke-checks.ts) run here against browser mode: the real engine, the real host,
 * the built window in Debian's Chromium. This is NOT the Electron smoke test (no Electron binary on this machine;
 * `npm run test:electron` runs in the release workflow): it shows that the checks pass on a healthy window and fail
 * on each fault they are there to catch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineStatus, Reply } from '../../main/api/index.js';
import { createEngine, toApiError } from '../../main/engine/index.js';
import { startBrowserHost } from '../../main/host/browser/server.js';
import { builtRenderer, launchChromium } from '../support/browser-session.js';
import { failed, preloadSurface, runSmokeChecks, watchProblems, type SmokeWindow } from './smoke-checks.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';

/** getStatus the way the window's browser transport asks it: the host's WebSocket, with the secret from the URL. */
const getStatusOverSocket = (page: Page) => () =>
  page.evaluate<Reply<EngineStatus>>(`new Promise((resolve, reject) => {
    const secret = new URLSearchParams(location.hash.slice(1)).get('secret');
    const ws = new WebSocket('ws://' + location.host + '/api?secret=' + encodeURIComponent(secret));
    ws.onerror = () => reject(new Error('socket refused'));
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'getStatus', args: [] }));
    ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.id === 1) { ws.close(); resolve(m.reply); } };
  })`);

/** Browser mode on a fresh wallet, as the Electron app starts on first run. */
async function browserWindow(): Promise<SmokeWindow & { shots: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-smoke-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const engine = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'wallet') });
  onTestFinished(() => engine.close());
  const host = await startBrowserHost({ engine: { api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, rendererDir: await builtRenderer() });
  onTestFinished(() => host.close());
  const browser = await launchChromium();
  onTestFinished(() => browser.close());
  const page = await browser.newPage();
  const problems = watchProblems(page);
  await page.goto(host.url);
  return { page, problems, getStatus: getStatusOverSocket(page), shots: join(dir, 'shots') };
}

const byCheck = (rs: { check: string; ok: boolean }[]) => Object.fromEntries(rs.map((r) => [r.check, r.ok]));

describe('the smoke checks, on browser mode (not Electron)', () => {
  it('pass on a healthy first start: onboarding, getStatus from the real engine, no Node, no console error, a screenshot', async () => {
    const w = await browserWindow();
    const results = await runSmokeChecks(w, { screenshot: join(w.shots, 'onboarding.png') });
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.check)).toEqual(['onboarding renders', 'getStatus answers from the engine', 'no Node in the window', 'no console error or CSP report', 'screenshot']);
    expect(readFileSync(join(w.shots, 'onboarding.png')).subarray(1, 4).toString()).toBe('PNG');
    // The preload's surface is Electron's alone: browser mode has none, so this one check can only pass there.
    expect(await preloadSurface(w.page)).toMatchObject({ ok: false, detail: 'window.sipster has nothing' });
  });

  it('fail on a CSP violation and on a console error, naming them', async () => {
    const w = await browserWindow();
    await w.page.getByRole('heading', { name: 'Welcome to Sipster Home' }).waitFor();
    // An inline script: the page's CSP (script-src 'self') refuses it, and Chromium reports it.
    await w.page.evaluate(`document.head.appendChild(Object.assign(document.createElement('script'), { textContent: 'window.planted = 1' }))`);
    let results = await runSmokeChecks(w, { screenshot: join(w.shots, 'csp.png') });
    expect(byCheck(results)['no console error or CSP report']).toBe(false);
    expect(failed(results)[0]?.detail).toMatch(/Content Security Policy/);
    expect(await w.page.evaluate('window.planted')).toBeUndefined();

    w.problems.length = 0;
    await w.page.evaluate(`console.error('planted failure')`);
    results = await runSmokeChecks(w, { screenshot: join(w.shots, 'console.png') });
    expect(failed(results).map((r) => r.detail)).toEqual(['console: planted failure']);
  });

  it('fail when the engine does not answer, when onboarding never renders, and when Node leaks into the page', async () => {
    const w = await browserWindow();
    const refused: SmokeWindow = { ...w, getStatus: async () => ({ ok: false, error: { code: 'internal', message: 'the engine has not started' } }) };
    let results = await runSmokeChecks(refused, { screenshot: join(w.shots, 'a.png') });
    expect(failed(results).map((r) => r.check)).toEqual(['getStatus answers from the engine']);

    await w.page.evaluate(`document.querySelector('h1, h2').textContent = 'Something else'; globalThis.require = () => {}`);
    results = await runSmokeChecks(w, { screenshot: join(w.shots, 'b.png'), timeoutMs: 1_000 });
    expect(byCheck(results)).toMatchObject({ 'onboarding renders': false, 'no Node in the window': false, screenshot: true });
  });
});
