/**
 * The Energy screen and Home's power chart on the real engine (main/engine createEngine) with 400 days of stored
 * history, in Debian's Chromium through browser mode. A first engine takes the household's telegrams
 * (test/support/household-year.ts: one every 5 minutes, the last 2.4 hours one a second) through `ingest` into its
 * history writer and closes; a second engine on the same data folder serves the window, so everything shown comes
 * from history.sqlite. Day, week, month and year with previous and next, the same stretch a year before, tables,
 * the CSV download, axe-core and screenshots in light and dark (test-results/app/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Page } from 'playwright-core';
import type { HistoryBucket, HistoryBucketView } from '../../main/api/index.js';
import { createEngine, toApiError, type Engine } from '../../main/engine/index.js';
import { BAR_OF, spanRange, yearBefore, type EnergySpan } from '../../renderer/state/energy.js';
import { testUnlock } from '../../scripts/test-wallet-key.js';
import { energyBars, openApp, seriousViolations, type AppSession } from '../support/browser-session.js';
import { writeHouseholdDays } from '../support/household-year.js';

const FULL_DAYS = 0.1;
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const iso = (ms: number) => new Date(ms).toISOString();
const kwh = (n: number) => `${n.toLocaleString('en-GB', { maximumFractionDigits: 2 })} kWh`;

/** What the engine itself says of a stretch: its buckets, and their import in total. */
async function stretch(engine: Engine, bucket: HistoryBucket, range: { from: number; to: number }) {
  const buckets = await engine.getHistory({ bucket, from: iso(range.from), to: iso(range.to) });
  return { buckets, importKwh: buckets.reduce((a, b) => a + b.importKwh, 0) };
}

/** Home's energy stat, as Home writes it (kWh with two decimals). */
const homeKwh = (n: number) => `${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kWh`;
/** Home's chart without a period begun: the last 7 days from the meter's midnight. */
const homeChartFrom = (now: number) => spanRange('day', now, -7).from;

async function engineWithAYear(): Promise<{ engine: Engine; written: number; endS: number; todayBeforeRestart: HistoryBucketView[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-app-energy-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'home');
  const endS = Math.floor(Date.now() / 1000);
  const first = await createEngine({ unlock: testUnlock, dataDir });
  const written = writeHouseholdDays((readings) => first.ingest({ kind: 'reading', readings }), { endS, days: 400, stepS: 300, fullDays: FULL_DAYS });
  const todayBeforeRestart = (await stretch(first, 'day', spanRange('day', endS * 1000))).buckets;
  await first.close();
  const engine = await createEngine({ unlock: testUnlock, dataDir });
  onTestFinished(() => engine.close());
  await engine.confirmBackup();
  return { engine, written, endS, todayBeforeRestart };
}

describe('the Energy screen on the real engine with a year of history', () => {
  it('day, week, month and year with previous and next, a year before beside, tables, CSV, Home after a restart; light and dark', async () => {
    const { engine, written, endS, todayBeforeRestart } = await engineWithAYear();
    expect(written).toBeGreaterThan(400 * 288);
    expect(await engine.getReadings(null)).toEqual([]); // a fresh engine: nothing in memory, all from the history file

    for (const scheme of ['light', 'dark'] as const) {
      const app = await openApp({ api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, { colorScheme: scheme });
      try {
        await energyViews(engine, app, scheme, endS * 1000, todayBeforeRestart);
      } finally {
        await app.close();
      }
    }
  });
});

async function energyViews(engine: Engine, app: AppSession, scheme: 'light' | 'dark', now: number, todayBeforeRestart: HistoryBucketView[]): Promise<void> {
  const { page, shot, problems } = app;

  // Home's energy after the restart: today is the restarted engine's day bucket, the same as before the restart;
  // no token yet, so no period: its energy is not claimed, and the chart's bars are the engine's hours of the last week.
  await page.getByRole('heading', { name: 'Home' }).waitFor();
  const today = await stretch(engine, 'day', spanRange('day', now));
  expect(today.buckets).toEqual(todayBeforeRestart);
  expect(today.buckets).toHaveLength(1);
  await page.locator('.stat', { hasText: 'Today' }).locator('dd').getByText(homeKwh(today.importKwh), { exact: true }).waitFor();
  await page.locator('.stat', { hasText: 'This period' }).locator('dd').getByText('—', { exact: true }).waitFor();
  const week = await engine.getHistory({ bucket: 'hour', from: iso(homeChartFrom(now)) });
  expect(week.length).toBeGreaterThan(7 * 24);
  await expect.poll(() => page.locator('.chart').getAttribute('data-points')).toBe(String(week.length));
  await shot(`energy-engine-home-${scheme}`);

  // Home's power chart after the restart: the last 24 hours of stored minutes (the engine's per-minute profile).
  await page.getByRole('heading', { name: 'Home' }).waitFor();
  await page.getByLabel('Show').selectOption('power');
  const stored = await engine.getPowerProfile(iso(now - 86_400_000), iso(now + 1000));
  expect(stored.length).toBeGreaterThanOrEqual((FULL_DAYS * 86_400) / 60);
  // The window asks from its own "now", a few seconds later: one minute may fall out at the far end.
  const points = () => page.locator('.chart').getAttribute('data-points').then(Number);
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThanOrEqual(stored.length - 1);
  expect(await points()).toBeLessThanOrEqual(stored.length);
  await shot(`energy-engine-home-power-${scheme}`);

  await nav(page, 'Energy').click();
  await page.getByRole('heading', { name: 'Energy', level: 1 }).waitFor();
  const rows = () => page.locator('table tbody tr').count();
  await expect.poll(rows).toBe((await stretch(engine, 'hour', spanRange('day', now))).buckets.length);

  for (const span of ['day', 'week', 'month', 'year'] as EnergySpan[]) {
    const Span = span[0]!.toUpperCase() + span.slice(1);
    if (span !== 'day') await page.getByRole('button', { name: Span, exact: true }).click();
    await page.getByRole('button', { name: `Previous ${span}` }).click();
    const range = spanRange(span, now, -1);
    const shown = await stretch(engine, BAR_OF[span], range);
    const before = await stretch(engine, BAR_OF[span], yearBefore(span, range.from));
    await expect.poll(rows).toBe(shown.buckets.length);
    expect(shown.buckets.length).toBeGreaterThan(0);
    const imported = page.locator('.stat', { hasText: 'Imported' });
    await imported.locator('dd').getByText(kwh(shown.importKwh), { exact: true }).waitFor();
    expect(shown.buckets.every((b) => b.gasM3! > 0)).toBe(true); // the household's gas, by its own M-Bus time stamps
    await page.locator('.stat', { hasText: 'Gas' }).locator('dd').getByText(/^[1-9][\d,.]* m³$/).waitFor();
    // The same stretch a year before: its total in the hint, its import as bars and a column, or said missing.
    if (before.buckets.length > 0) {
      await imported.getByText(`same ${span} last year: ${kwh(before.importKwh)}`).waitFor();
      await expect.poll(() => energyBars(page, 'last-year')).toBe(before.buckets.length);
      await page.getByRole('columnheader', { name: 'Imported a year before' }).waitFor();
    } else {
      await imported.getByText(`same ${span} last year: no readings stored`).waitFor();
      expect(await energyBars(page, 'last-year')).toBe(0);
    }
    expect(await seriousViolations(page), `${span} ${scheme}`).toEqual([]);
    await shot(`energy-engine-${span}-${scheme}`);
    await page.getByRole('button', { name: `Next ${span}` }).click();
    await expect.poll(rows).toBe((await stretch(engine, BAR_OF[span], spanRange(span, now))).buckets.length);
    expect(await page.getByRole('button', { name: `Next ${span}` }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: `Previous ${span}` }).click();
    await expect.poll(rows).toBe(shown.buckets.length);
  }

  // This year by day: a bar and a row a day, last year's days beside, all the engine's buckets.
  const thisYear = spanRange('year', now);
  const days = await stretch(engine, 'day', thisYear);
  const daysBefore = await stretch(engine, 'day', yearBefore('year', thisYear.from));
  expect(days.buckets.length).toBe(Math.min(Math.ceil((now - thisYear.from) / 86_400_000), 400));
  expect(daysBefore.buckets.length).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Next year' }).click();
  await page.getByRole('button', { name: 'By day' }).click();
  await expect.poll(() => energyBars(page, 'import')).toBe(days.buckets.length);
  await expect.poll(() => energyBars(page, 'last-year')).toBe(daysBefore.buckets.length);
  await page.getByText('The same numbers as a table').click(); // a table this long is folded under the bars
  await expect.poll(rows).toBe(days.buckets.length);
  await page.locator('table caption', { hasText: `Energy per day, ${new Date(thisYear.from).getFullYear()}` }).waitFor();
  await page.locator('.stat', { hasText: 'Imported' }).locator('dd').getByText(kwh(days.importKwh), { exact: true }).waitFor();
  expect(await seriousViolations(page), `year by day ${scheme}`).toEqual([]);
  await shot(`energy-engine-year-daily-${scheme}`);
  await page.getByRole('button', { name: 'By month' }).click();
  await page.getByRole('button', { name: 'Previous year' }).click();
  await expect.poll(rows).toBe((await stretch(engine, 'month', spanRange('year', now, -1))).buckets.length);

  // The year shown, saved as CSV: the engine's own export of the same buckets, under a name with no secrets.
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as CSV' }).click();
  const download = await saved;
  const year = spanRange('year', now, -1);
  expect(download.suggestedFilename()).toBe(`sipster-energy-year-${new Date(year.from).getFullYear()}-01-01.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toBe(await engine.exportHistoryCsv({ bucket: 'month', from: iso(year.from), to: iso(year.to) }));
  expect(csv.trim().split('\n')).toHaveLength(1 + (await stretch(engine, 'month', year)).buckets.length);
  expect(problems).toEqual([]);
}
