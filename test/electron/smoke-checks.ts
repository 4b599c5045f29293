/**
 * The smoke test's checks, the same for every way the window is driven: the packed Electron app and Electron on the
 * built bundles (smoke.ts, `npm run test:electron`, release workflow only: no Electron binary here) and browser mode
 * (smoke.e2e.test.ts, in `npm test`). A driver gives the loaded window and its own way to ask the engine's status;
 * the checks say what must hold.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from 'playwright-core';
import { ENGINE_METHODS, type EngineStatus, type Reply } from '../../main/api/index.js';

export interface SmokeWindow {
  page: Page;
  /** getStatus through the window's own API: the preload's `window.sipster` in Electron, the WebSocket in browser mode. */
  getStatus(): Promise<Reply<EngineStatus>>;
  /** Console errors, uncaught errors and CSP violations since the page (re)loaded (`watchProblems`). */
  problems: string[];
}

export interface SmokeResult {
  check: string;
  ok: boolean;
  detail: string;
}

/** Collects what the page reports from now on; Chromium reports each CSP violation as a console error too. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (e) => void problems.push(`uncaught: ${e.message}`));
  return problems;
}

const ONBOARDING = 'Welcome to Sipster Home';

async function check(check: string, run: () => Promise<string>): Promise<SmokeResult> {
  try {
    return { check, ok: true, detail: await run() };
  } catch (e) {
    return { check, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** The checks, in order; the screenshot is taken whatever the others found. */
export async function runSmokeChecks(w: SmokeWindow, o: { screenshot: string; timeoutMs?: number }): Promise<SmokeResult[]> {
  const timeout = o.timeoutMs ?? 30_000;
  const results = [
    await check('onboarding renders', async () => {
      await w.page.getByRole('heading', { name: ONBOARDING }).waitFor({ timeout });
      return `"${ONBOARDING}" shown at ${w.page.url().split('#')[0]}`;
    }),
    await check('getStatus answers from the engine', async () => {
      const reply = await w.getStatus();
      if (!reply.ok) throw new Error(`getStatus: ${reply.error.code}: ${reply.error.message}`);
      const s = reply.value;
      if (typeof s.version !== 'string' || typeof s.dataDir !== 'string' || s.storage?.state !== 'ok')
        throw new Error(`getStatus answered an unexpected shape: ${JSON.stringify(s).slice(0, 200)}`);
      return `engine ${s.version}, wallet storage ${s.storage.state}, proxy ${s.proxy.state}`;
    }),
    await check('no Node in the window', async () => {
      // Passed as text: the root tsconfig has no DOM types.
      const leaks = await w.page.evaluate<string[]>(`['require', 'process', 'module', 'Buffer'].filter((n) => typeof globalThis[n] !== 'undefined')`);
      if (leaks.length) throw new Error(`the page sees ${leaks.join(', ')}`);
      return 'no require, process, module or Buffer in the page';
    }),
    await check('no console error or CSP report', async () => {
      await w.page.waitForTimeout(500); // what the first screen's calls report arrives after it renders
      if (w.problems.length) throw new Error(w.problems.join(' | '));
      return 'none';
    }),
  ];
  mkdirSync(dirname(o.screenshot), { recursive: true });
  results.push(await check('screenshot', async () => {
    await w.page.screenshot({ path: o.screenshot, fullPage: true });
    return o.screenshot;
  }));
  return results;
}

/** The preload's API as the page sees it: the engine's methods, nothing more (docs/security-electron.md #20). */
export async function preloadSurface(page: Page): Promise<SmokeResult> {
  return check('preload exposes the engine API only', async () => {
    const keys = await page.evaluate<string[]>('Object.keys(window.sipster ?? {}).sort()');
    const want = [...ENGINE_METHODS].sort();
    if (JSON.stringify(keys) !== JSON.stringify(want)) throw new Error(`window.sipster has ${keys.join(', ') || 'nothing'}`);
    return `${keys.length} methods`;
  });
}

export const failed = (results: readonly SmokeResult[]) => results.filter((r) => !r.ok);
export const report = (results: readonly SmokeResult[]) => results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.check}: ${r.detail}`).join('\n');
