/**
 * A browser-mode session for the app's e2e tests: the built window served by the real host, driven by Chromium
 * (found by `findChromium`: CHROMIUM_PATH, else chromium, chromium-browser, google-chrome on PATH) through playwright-core. Axe-core is injected through the debugging protocol (the page's CSP forbids
 * inline scripts, and stays on: the tests also fail on any CSP violation the page reports).
 * @module
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EngineHandle } from '../../main/host/browser/bridge.js';
import { startBrowserHost, type BrowserHost } from '../../main/host/browser/server.js';
import { findChromium } from '../../scripts/system-tools.js';
import { buildRenderer, ROOT } from './browser-build.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const SHOTS = join(ROOT, 'test-results', 'app');

let built: Promise<string> | null = null;
/** One renderer build per test process, in its own folder. */
export function builtRenderer(): Promise<string> {
  built ??= buildRenderer(mkdtempSync(join(tmpdir(), 'sipster-window-')));
  return built;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}

export interface AppSession {
  host: BrowserHost;
  browser: Browser;
  page: Page;
  /** Console errors and CSP reports the page produced. */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** `locale`: the browser's language (navigator.languages), which the window follows unless one was picked in Settings. */
export async function openApp(engine: EngineHandle, opts: { colorScheme?: 'light' | 'dark'; locale?: string } = {}): Promise<AppSession> {
  const rendererDir = await builtRenderer();
  const host = await startBrowserHost({ engine, rendererDir });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(host.url);
  mkdirSync(SHOTS, { recursive: true });
  return {
    host,
    browser,
    page,
    problems,
    shot: async (name) => void (await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })),
    close: async () => {
      await browser.close();
      await host.close();
    },
  };
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** Axe-core's WCAG 2.x A/AA rules on the page as it is now; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // Passed as text: the root tsconfig has no DOM types.
  const found = await page.evaluate<AxeViolation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** How many bars of a kind (`import`, `export`, `last-year`) the Energy screen draws: one path a kind, with its count. */
export async function energyBars(page: Page, kind: 'import' | 'export' | 'last-year'): Promise<number> {
  const path = page.locator(`svg.bars path.${kind}`);
  return (await path.count()) === 0 ? 0 : Number(await path.getAttribute('data-bars'));
}
