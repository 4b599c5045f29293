/**
 * `npm run test:electron -- --app PATH [--shots DIR]`: the smoke test of a packed Sipster Home, run by the release
 * workflow on each platform (under xvfb on Linux) and never on the build machine (no Electron binary there).
 *
 * - the fuses read back from the packed binary as electron-builder.yml sets them (fuses.ts);
 * - the packed app started with a fresh data folder: its window opens, the preload's `window.sipster.getStatus()`
 *   is answered by the engine in its utility process, onboarding renders with no console error or CSP report, no
 *   Node in the page, and a screenshot is saved (smoke-checks.ts, shared with browser mode's smoke.e2e.test.ts);
 * - its engine, told `--tor managed`, starts the tor packed in the app's resources, which begins to bootstrap.
 *
 * Playwright's `_electron.launch` cannot drive the packed app: it needs Node's `--inspect`, which the
 * `enableNodeCliInspectArguments: false` fuse turns off (a known limit, Playwright's docs). So the packed app is
 * started as a user would start it, with Chromium's `--remote-debugging-port`, and Playwright attaches over CDP.
 * `--unpacked` runs the same checks through `_electron.launch` on Electron from node_modules and the built bundles
 * (`dist/electron/main.mjs`, fuses not flipped), as the workflow does before packing.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { _electron, chromium, type Browser, type Page } from 'playwright-core';
import type { EngineStatus, Reply } from '../../main/api/index.js';
import { ROOT } from '../support/browser-build.js';
import { checkFuses } from './fuses.js';
import { failed, preloadSurface, report, runSmokeChecks, watchProblems, type SmokeResult } from './smoke-checks.js';

const { values: o } = parseArgs({ options: { app: { type: 'string' }, unpacked: { type: 'boolean' }, shots: { type: 'string' } } });
if (!o.app === !o.unpacked) {
  console.error('usage: npm run test:electron -- --app PATH_TO_PACKED_APP | --unpacked  [--shots DIR]');
  process.exit(2);
}
if (o.app && !existsSync(o.app)) {
  console.error(`no packed app at ${o.app}: build it first (npx electron-builder --dir, or an installer target)`);
  process.exit(2);
}
const shots = o.shots ?? join(ROOT, 'test-results', 'electron');
mkdirSync(shots, { recursive: true });
const data = mkdtempSync(join(tmpdir(), 'sipster-smoke-'));
const LAUNCH_MS = 60_000;

/** The executable inside a macOS bundle, else the path itself. */
const executable = (app: string) => (app.endsWith('.app') ? join(app, 'Contents', 'MacOS', basename(app, '.app')) : app);

/** Starts the packed app as a user would, plus Chromium's debugging port; resolves with its DevTools endpoint. */
function startPacked(app: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const args = ['--data', join(data, 'wallet'), '--tor', 'managed', '--remote-debugging-port=0'];
  const child = spawn(executable(app), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no DevTools endpoint within ${LAUNCH_MS} ms; the app said: ${seen.slice(-2000)}`)), LAUNCH_MS);
    const read = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ child, endpoint: m[1]! });
      }
    };
    child.stderr.on('data', read);
    child.stdout.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code ?? signal}) before its window opened: ${seen.slice(-2000)}`));
    });
  });
}

/** The app's window once it shows our page (the CDP connection may come before the page loads). */
async function appPage(browser: Browser): Promise<Page> {
  const deadline = Date.now() + LAUNCH_MS;
  while (Date.now() < deadline) {
    const page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith('app://sipster/'));
    if (page) return page;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no window showing app://sipster/ appeared');
}

const getStatus = (page: Page) => () => page.evaluate<Reply<EngineStatus>>('window.sipster.getStatus()');

async function smoke(page: Page, name: string): Promise<SmokeResult[]> {
  const problems = watchProblems(page);
  // Attached after the page loaded: reload so that everything it reports is seen.
  await page.reload();
  return [await preloadSurface(page), ...(await runSmokeChecks({ page, getStatus: getStatus(page), problems }, { screenshot: join(shots, `${name}.png`) }))];
}

async function packed(app: string): Promise<SmokeResult[]> {
  const fuses = await checkFuses(app);
  let started: Awaited<ReturnType<typeof startPacked>> | null = null;
  try {
    started = await startPacked(app);
    const browser = await chromium.connectOverCDP(started.endpoint);
    const page = await appPage(browser);
    const results = [...(await smoke(page, 'packed-onboarding')), await ownTorStarts(page)];
    await browser.close();
    return [...fuses, ...results];
  } catch (e) {
    return [...fuses, { check: 'window opens', ok: false, detail: e instanceof Error ? e.message : String(e) }];
  } finally {
    if (started) await quit(started.child);
  }
}

/**
 * The engine's own tor (`--tor managed`) started from the app's resources/tor/ (main/engine/tor/tor-binary.ts; the
 * runners have no tor installed): it passes when tor is up and bootstrapping, fails when it could not start.
 */
async function ownTorStarts(page: Page): Promise<SmokeResult> {
  const check = "the app's own tor starts";
  const deadline = Date.now() + LAUNCH_MS;
  let seen = 'no answer';
  while (Date.now() < deadline) {
    const r = await getStatus(page)();
    const tor = r.ok ? r.value.proxy.tor : null;
    seen = tor ? `${tor.state} ${tor.progress}%${tor.summary ? `: ${tor.summary}` : ''}` : r.ok ? `proxy ${r.value.proxy.state}, no tor` : r.error.message;
    if (tor?.state === 'bootstrapping' || tor?.state === 'ready') return { check, ok: true, detail: seen };
    if (tor?.state === 'failed') break;
    await new Promise((res) => setTimeout(res, 1_000));
  }
  return { check, ok: false, detail: seen };
}

/** Quits as the OS asks an app to (the engine closes its wallet first, main.ts before-quit); killed after 15 s. */
async function quit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((r) => child.once('exit', () => r(true)));
  child.kill('SIGTERM');
  if (!(await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]))) child.kill('SIGKILL');
}

async function unpacked(): Promise<SmokeResult[]> {
  const app = await _electron.launch({ args: [join(ROOT, 'dist', 'electron', 'main.mjs'), '--data', join(data, 'wallet')], timeout: LAUNCH_MS });
  try {
    return await smoke(await app.firstWindow(), 'unpacked-onboarding');
  } finally {
    await app.close();
  }
}

try {
  const results = o.app ? await packed(o.app) : await unpacked();
  console.log(report(results));
  writeFileSync(join(shots, o.app ? 'packed.json' : 'unpacked.json'), JSON.stringify({ app: o.app ?? 'dist/electron/main.mjs', results }, null, 2));
  process.exitCode = failed(results).length ? 1 : 0;
} finally {
  rmSync(data, { recursive: true, force: true });
}
