/**
 * `npm run bench:app` → bench/app.json (issue 7), browser mode in Chromium (scripts/system-tools.ts finds it):
 * - launch: from starting `main/host/browser/main.ts` (the real engine, against the demo's UC, mint and SOCKS hop
 *   run by this process) to the window's first contentful paint, and to its first screen;
 * - frame time with a full period (10,000 readings) in the chart: building the power chart, and frame intervals
 *   while new readings arrive ten times a second (each redraws all points). The readings come from
 *   test/support/browser-engine.ts (an in-memory engine), since the real one only takes them from a meter;
 * - idle: CPU and memory (PSS) of the real host process and every Chromium process over 60 s, window open;
 * - a year of stored history (issue 12): the real engine on a history.sqlite holding the household of
 *   test/support/household-year.ts from 1 January of last year to now (one telegram every 5 minutes, the last day one
 *   a second), so that this year has all of last year beside it, the window asking for it: the Energy screen's year
 *   by month (12 bars) and by day (a bar a day so far, and last year's 365), and month (daily bars), each from the
 *   click to the drawn frame, timed in the page, with the engine's own query time (timed on the host side) taken off
 *   for the window's part; Home's power chart over a full day stored at 1/s, drawn from the engine's per-minute profile (1,440
 *   points), timed in the page, and the engine's query for that day (getPowerProfile).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { startBrowserHost } from '../main/host/browser/server.js';
import { startServers, type Servers } from '../scripts/demo-stack.js';
import { fakeEngine } from '../test/support/browser-engine.js';
import { buildRenderer, ROOT } from '../test/support/browser-build.js';
import { energyBars, launchChromium } from '../test/support/browser-session.js';
import { findChromium } from '../scripts/system-tools.js';
import { writeReport, type Op } from './measure.js';
import { createEngine, toApiError, type Engine } from '../main/engine/index.js';
import { History } from '../main/engine/history/index.js';
import { walletKey } from '../main/engine/vault/key.js';
import { testUnlock } from '../scripts/test-wallet-key.js';
import { writeHouseholdDays } from '../test/support/household-year.js';
import { spanRange } from '../renderer/state/energy.js';

const READINGS = 10_000;
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 60);
const LAUNCHES = 3;

/** The real browser-mode CLI in its own process, with a fresh wallet; resolves with the URL it prints. */
function startHost(servers: Servers, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const passphrase = `${dataDir}.passphrase`; // the wallet is encrypted: a start needs its key (docs/engine.md §At rest)
  writeFileSync(passphrase, 'bench passphrase\n', { mode: 0o600 });
  const args = ['--import', 'tsx', join(ROOT, 'main/host/browser/main.ts'), '--data', dataDir, '--uc', servers.uc.url,
    '--socks', `${servers.hop.host}:${servers.hop.port}`, '--socks-label', 'demo-hop', '--passphrase-file', passphrase];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const url = /is at (\S+)/.exec(l)?.[1];
      if (url) resolve({ child, url });
    });
  });
}

const stop = (child: ChildProcess) => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM')));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const round = (x: number) => Number(x.toPrecision(4));
const op = (xs: number[]): Op => ({ median_ms: round(median(xs)), n: xs.length });

async function launchOnce(servers: Servers, dataDir: string) {
  const t0 = Date.now();
  const { child, url } = await startHost(servers, dataDir);
  const hostReady = Date.now() - t0;
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(url);
  // A fresh wallet opens on onboarding: that is the first screen a household sees.
  await page.getByRole('heading', { name: 'Welcome to Sipster Home' }).waitFor();
  const firstScreen = Date.now() - t0;
  const fcp = await page.evaluate<number>(`new Promise((r) => new PerformanceObserver((l) => r(performance.timeOrigin + l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }))`);
  return { child, browser, page, hostReady, firstPaint: fcp - t0, firstScreen };
}

/** Frame intervals (ms) over `seconds`, measured in the page with requestAnimationFrame. */
const frames = (page: Page, seconds: number) =>
  page.evaluate<number[]>(`new Promise((r) => { const d = []; let last = performance.now(); const end = last + ${seconds * 1000};
    const f = (t) => { d.push(t - last); last = t; if (t < end) requestAnimationFrame(f); else r(d); }; requestAnimationFrame(f); })`);

/**
 * Sum of utime+stime (clock ticks) and memory (kB) of a process and all its descendants. Memory is PSS (shared
 * pages split between the processes sharing them), so Chromium's many processes are not counted several times.
 */
function usage(root: number): { ticks: number; pssKb: number } {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* exited meanwhile */ }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (tree.has(ppid) && !tree.has(pid)) (tree.add(pid), (grew = true));
  }
  let ticks = 0;
  let pssKb = 0;
  for (const pid of tree) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
      pssKb += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch { /* exited meanwhile */ }
  }
  return { ticks, pssKb };
}

/** Chromium's browser process: the child of this process that playwright started (whatever the binary's name). */
function chromiumPid(): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--remote-debugging-pipe')) return Number(d);
    } catch { /* exited meanwhile */ }
  }
  throw new Error('no Chromium process found under this benchmark');
}

/** Building the power chart from 10,000 readings, then frame intervals while a reading arrives every 100 ms. */
async function chartFrames(): Promise<{ build: number[]; live: number[]; points: number }> {
  const engine = fakeEngine({ readings: READINGS, backedUp: true });
  const host = await startBrowserHost({ engine, rendererDir: join(ROOT, 'dist', 'renderer') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    const build: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Show').selectOption('day');
      const t = performance.now();
      await page.getByLabel('Show').selectOption('power');
      await page.locator(`.chart[data-points="${READINGS}"] canvas`).waitFor();
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      build.push(performance.now() - t);
    }
    const ticker = setInterval(() => engine.tick(1), 100);
    const live = (await frames(page, 5)).slice(1).sort((a, b) => a - b);
    clearInterval(ticker);
    return { build, live, points: Number(await page.locator('.chart').getAttribute('data-points')) };
  } finally {
    await browser.close();
    await host.close();
  }
}

const RENDERS = 5;

/** The engine with `history` calls timed on the host side: what the engine itself spends, apart from the window. */
function timedHistory(engine: Engine, spent: Record<string, number[]>): Engine {
  return new Proxy(engine, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (typeof v !== 'function') return v;
      if (prop !== 'getHistory' && prop !== 'getPowerProfile') return v.bind(target);
      return async (...args: unknown[]) => {
        const t = performance.now();
        try { return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args); } finally { (spent[prop] ??= []).push(performance.now() - t); }
      };
    },
  });
}

/** A year of stored history shown by the window: the Energy screen's year and month, Home's power over a full day. */
async function historyViews() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-bench-app-history-'));
  const dataDir = join(dir, 'home');
  const endS = Math.floor(Date.now() / 1000);
  const days = Math.ceil((endS * 1000 - new Date(new Date().getFullYear() - 1, 0, 1).getTime()) / 86_400_000);
  await (await createEngine({ unlock: testUnlock, dataDir })).close(); // the wallet and its key, which the history shares
  const history = History.open(join(dataDir, 'history.sqlite'), walletKey(dataDir, testUnlock));
  const arrived = new Date(0).toISOString();
  const telegrams = writeHouseholdDays((r) => history.add(r, arrived), { endS, days, stepS: 300, fullDays: 1 });
  history.close();
  const engine = await createEngine({ unlock: testUnlock, dataDir });
  await engine.confirmBackup();
  const spent: Record<string, number[]> = {};
  const host = await startBrowserHost({ engine: { api: timedHistory(engine, spent), onEvent: (l) => engine.onEvent(l), toApiError }, rendererDir: join(ROOT, 'dist', 'renderer') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    const chart = page.locator('.chart');
    // Timed in the page (the engine shares this process, and its day query blocks it): from choosing power to the
    // second frame after a chart of more than 1,400 minutes is there. The first time waits for the engine's answer;
    // later ones draw the day the chart already holds while it asks again, and each waits for that answer after.
    const powerDraw: number[] = [];
    for (let i = 0; i < RENDERS + 1; i++) {
      await page.getByLabel('Show').selectOption('hour');
      await chart.locator('canvas').waitFor();
      const asked = spent.getPowerProfile?.length ?? 0;
      const ms = await page.evaluate<number>(`new Promise((r) => {
        const select = document.getElementById('chart-mode'); const t = performance.now();
        select.value = 'power'; select.dispatchEvent(new Event('change', { bubbles: true }));
        const check = () => Number(document.querySelector('.chart')?.dataset.points) > 1400
          ? requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t))) : requestAnimationFrame(check);
        requestAnimationFrame(check); })`);
      while ((spent.getPowerProfile?.length ?? 0) === asked) await sleep(20);
      if (i > 0) powerDraw.push(ms);
    }
    const points = Number(await chart.getAttribute('data-points'));

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Energy', exact: true }).click();
    // Timed in the page, as the power line: from the button's click to the second frame after the view's own answers
    // are drawn (`drawn`, a page expression: the keyed view never draws another view's answers), so that
    // Playwright's own round trips are not counted. From the day view to a span, or (`By day`) from the year by month
    // to the year by day (whose table is folded: last year's bars, one a day, say it is drawn).
    const view = async (button: 'Year' | 'Month' | 'By day', drawn: string) => {
      const total: number[] = [];
      const query: number[] = [];
      for (let i = 0; i < RENDERS + 1; i++) {
        const [from, fromCaption] = button === 'By day' ? ['By month', /^Energy per month/] : ['Day', /^Energy per hour/];
        await page.getByRole('button', { name: from, exact: true }).click();
        await page.locator('table caption', { hasText: fromCaption }).waitFor();
        const before = spent.getHistory?.length ?? 0;
        const ms = await page.evaluate<number>(`new Promise((r) => {
          const button = [...document.querySelectorAll('main button')].find((b) => b.textContent === ${JSON.stringify(button)});
          const t = performance.now(); button.click();
          const check = () => (${drawn}) && document.querySelector('svg.bars path.last-year') !== null
            ? requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t))) : requestAnimationFrame(check);
          requestAnimationFrame(check); })`);
        if (i === 0) continue;
        total.push(ms);
        query.push(spent.getHistory!.slice(before).reduce((a, b) => a + b, 0));
      }
      return { total, query, bars: await energyBars(page, 'import'), lastYearBars: await energyBars(page, 'last-year') };
    };
    const caption = (text: RegExp) => `[...document.querySelectorAll('table caption')].some((c) => ${text}.test(c.textContent))`;
    const lastYear = spanRange('year', Date.now(), -1);
    const lastYearDays = Math.round((lastYear.to - lastYear.from) / 86_400_000);
    const year = await view('Year', caption(/^Energy per month, \d{4}$/));
    const yearDaily = await view('By day', `document.querySelector('svg.bars path.last-year[data-bars="${lastYearDays}"]') !== null`);
    const month = await view('Month', caption(/^Energy per day, /));
    const windowPart = (m: { total: number[]; query: number[] }) => m.total.map((t, i) => t - m.query[i]!);
    return {
      ops: {
        energy_year_view_from_history: op(year.total),
        energy_year_view_window_part: op(windowPart(year)),
        energy_year_daily_view_from_history: op(yearDaily.total),
        energy_year_daily_view_window_part: op(windowPart(yearDaily)),
        energy_month_view_from_history: op(month.total),
        energy_month_view_window_part: op(windowPart(month)),
        power_day_per_minute_draw: op(powerDraw),
        power_day_per_minute_engine_query: op(spent.getPowerProfile!),
      },
      meta: { telegrams, days, year_bars: year.bars, year_daily_bars: yearDaily.bars, year_daily_last_year_bars: yearDaily.lastYearBars, month_bars: month.bars, power_points: points },
    };
  } finally {
    await browser.close();
    await host.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await buildRenderer(join(ROOT, 'dist', 'renderer'));
  const work = mkdtempSync(join(tmpdir(), 'sipster-bench-app-'));
  const servers = await startServers(work);
  const launches = [];
  for (let i = 0; i < LAUNCHES; i++) {
    const l = await launchOnce(servers, join(work, `home-${i}`));
    launches.push(l);
    if (i < LAUNCHES - 1) (await l.browser.close(), await stop(l.child));
  }
  const { child, browser } = launches.at(-1)!;
  await sleep(2000);
  const hostPid = child.pid!;
  const browserPid = chromiumPid();
  const start = { host: usage(hostPid), chromium: usage(browserPid) };
  const pss = { host: [] as number[], chromium: [] as number[] };
  for (let s = 0; s < IDLE_S; s += 5) {
    await sleep(5000);
    pss.host.push(usage(hostPid).pssKb);
    pss.chromium.push(usage(browserPid).pssKb);
  }
  const end = { host: usage(hostPid), chromium: usage(browserPid) };
  const hz = 100; // USER_HZ on Linux
  const cpu = (k: 'host' | 'chromium') => round(((end[k].ticks - start[k].ticks) / hz / IDLE_S) * 100);
  const mb = (xs: number[]) => round(Math.max(...xs) / 1024);
  await browser.close();
  await stop(child);
  await servers.close();
  rmSync(work, { recursive: true, force: true });
  const { build, live, points } = await chartFrames();
  const load = { before: loadavg()[0]!, after: 0 };
  const stored = await historyViews();
  load.after = loadavg()[0]!;

  writeReport(
    'app.json',
    {
      host_start_to_listening: op(launches.map((l) => l.hostReady)),
      launch_to_first_paint: op(launches.map((l) => l.firstPaint)),
      launch_to_first_screen: op(launches.map((l) => l.firstScreen)),
      power_chart_build_10k_points: op(build),
      live_frame_interval_p50: { median_ms: round(live[live.length >> 1]!), n: live.length },
      live_frame_interval_p95: { median_ms: round(live[Math.floor(live.length * 0.95)]!), n: live.length },
      live_frame_interval_max: { median_ms: round(live.at(-1)!), n: live.length },
      ...stored.ops,
    },
    {
      chart_points: points,
      history: { ...stored.meta, load_average_1min: { before: round(load.before), after: round(load.after) },
        note: 'energy views from history: click to the drawn frame timed in the page, the engine query included; window part: the same minus the engine\'s query time measured on the host; power draw: timed in the page, the day already in the chart' },
      idle: { seconds: IDLE_S, host_cpu_percent: cpu('host'), chromium_cpu_percent: cpu('chromium'), host_pss_mb_max: mb(pss.host), chromium_pss_mb_max: mb(pss.chromium) },
      engine: 'launch and idle: the real engine (main/host/browser/main.ts) on the demo UC, mint and SOCKS hop; chart: in-memory readings',
      chromium: `${findChromium()} --headless --disable-gpu`,
    },
  );
}

await main();
