/**
 * `npm run bench:history` → bench/history.json (issue 12): what the energy history costs.
 *   - CPU per telegram stored (process CPU time around History.add, batches and their transactions included), at
 *     one DSMR 5 telegram a second with gas every 5 minutes, the household of test/support/household-year.ts (the
 *     meter emulator's load minute by minute, noise each second, solar export at midday);
 *   - disk for a year: the file after 365 simulated days (history.sqlite, its WAL checkpointed). Simulated quickly:
 *     the first 355 days at one telegram every 10 s (their telegrams are gone after 10 days anyway, and every 5-minute
 *     and hourly bucket gets its row as at 1/s), the last 10 days at 1/s, which is what stays at full resolution;
 *   - query time: a year of daily buckets, a day at full resolution (86,400 telegrams decoded), and a day of power
 *     from the per-minute summary (1,440 minutes: what the day view draws), in wall time and in process CPU time.
 * `--quick`: 3 days (the last at 1/s), written to bench/history.quick.json.
 * @module
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { History, FULL_RESOLUTION_S } from '../main/engine/history/index.js';
import { householdTelegrams } from '../test/support/household-year.js';
import { measure, writeReport } from './measure.js';

const quick = process.argv.includes('--quick');
const DAYS = quick ? 3 : 365;
const FULL_DAYS = quick ? 1 : FULL_RESOLUTION_S / 86_400;
const COARSE_STEP_S = 10;
const START = Date.UTC(2026, 0, 1) / 1000;
const END = START + DAYS * 86_400;
const FULL_FROM = END - FULL_DAYS * 86_400;

const dir = mkdtempSync(join(tmpdir(), 'sipster-bench-history-'));
const file = join(dir, 'history.sqlite');
const history = History.open(file);
const telegram = householdTelegrams(7);

const arrived = new Date(0).toISOString();
for (let t = START; t < FULL_FROM; t += COARSE_STEP_S) history.add(telegram(t, COARSE_STEP_S), arrived);

let cpuUs = 0;
let stored = 0;
const CHUNK = 3_600;
for (let t = FULL_FROM; t < END; t += CHUNK) {
  const chunk = Array.from({ length: Math.min(CHUNK, END - t) }, (_, i) => telegram(t + i, 1)); // built outside the timing
  const before = process.cpuUsage();
  for (const r of chunk) history.add(r, arrived);
  if (t + CHUNK >= END) history.flush();
  const used = process.cpuUsage(before);
  cpuUs += used.user + used.system;
  stored += chunk.length;
}

const iso = (t: number) => new Date(t * 1000).toISOString();
const yearOfDays = measure(() => history.buckets({ bucket: 'day', from: iso(END - 365 * 86_400), to: iso(END) }, [0.22, 0.3]), { n: 20 });
const dayOfSamples = measure(() => history.samples(iso(END - 86_400), iso(END)), { n: 5, warmup: 1 });
const dayOfPower = measure(() => history.powerProfile(iso(END - 86_400), iso(END)), { n: 20, warmup: 2 });
/** The same in process CPU time: what the query costs, apart from the other work on a loaded machine. */
const dayOfPowerCpu = (() => {
  const times = Array.from({ length: 21 }, () => {
    const before = process.cpuUsage();
    history.powerProfile(iso(END - 86_400), iso(END));
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  }).sort((a, b) => a - b);
  return { median_ms: Number(times[10]!.toPrecision(4)), n: times.length };
})();
const daysBuckets = history.buckets({ bucket: 'day' }, [0.22, 0.3]).length;
const minutesKept = (history.db.prepare('SELECT COUNT(*) AS n FROM minutes').get() as { n: number }).n;
const samplesKept = (history.db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n;
const tableBytes = Object.fromEntries((history.db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[])
  .map((r) => [r.name, r.bytes]));
history.db.pragma('wal_checkpoint(TRUNCATE)');
history.close();
const size = (f: string) => { try { return statSync(f).size; } catch { return 0; } };
const diskBytes = size(file) + size(`${file}-wal`) + size(`${file}-shm`);
rmSync(dir, { recursive: true, force: true });

const cpuPerTelegramMs = Number((cpuUs / 1000 / stored).toPrecision(3));
writeReport(quick ? 'history.quick.json' : 'history.json', {
  'cpu per telegram stored': { median_ms: cpuPerTelegramMs, n: stored },
  'year of daily buckets': yearOfDays,
  'day at full resolution': dayOfSamples,
  'day of power per minute': dayOfPower,
  'day of power per minute, process CPU': dayOfPowerCpu,
}, {
  quick,
  simulatedDays: DAYS,
  fullResolutionDays: FULL_DAYS,
  coarseStepS: COARSE_STEP_S,
  diskMB: Number((diskBytes / 1e6).toFixed(1)),
  samplesKept,
  minutesKept,
  bytesPerMinuteKept: Math.round((tableBytes.minutes ?? 0) / minutesKept),
  bytesPerSampleKept: Math.round((tableBytes.samples ?? 0) / samplesKept),
  tableMB: Object.fromEntries(Object.entries(tableBytes).map(([k, v]) => [k, Number((v / 1e6).toFixed(2))])),
  dailyBuckets: daysBuckets,
  loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  note: 'cpu per telegram is the mean, not a median: process CPU time over every telegram of the 1/s days, batches included',
});
