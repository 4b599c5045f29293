/**
 * Reading the history: buckets of hours to years from the exact aggregates, the telegrams themselves, and CSV.
 * Hours, days, weeks (from Monday), months and years are those of this computer's time zone. They are summed from
 * the hourly aggregates when every bucket edge falls on a whole UTC hour (every whole-hour zone, DST changes
 * included), else from the quarter-hours (zones like +05:30 or +09:30): exact either way, as far back as the
 * quarter-hours go (migrations/0030); before that, an hour counts in the bucket its start falls in.
 * @module
 */
import type { HistoryBucket, HistoryBucketView, HistoryQuery, HistorySampleView, RegisterKwh } from '../../api/index.js';
import { EngineError } from '../errors.js';
import type { Db } from './db.js';
import { REGISTERS, type Sample, decodeSample, energy } from './sample.js';

const BUCKETS: readonly HistoryBucket[] = ['hour', 'day', 'week', 'month', 'year'];
const MAX_SAMPLE_SPAN_S = 48 * 3600;
const bad = (message: string) => new EngineError('bad-request', message);

/** An ISO time as seconds; null stays null; anything else is a bad request naming `name`. */
export function time(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  const ms = typeof value === 'string' && value.length <= 40 ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw bad(`${name} is an ISO time (2026-01-31T00:00:00Z)`);
  return Math.floor(ms / 1000);
}

export interface CheckedQuery { bucket: HistoryBucket; from: number | null; to: number | null }

export function checkQuery(q: unknown): CheckedQuery {
  const o = (typeof q === 'object' && q !== null ? q : {}) as Partial<HistoryQuery>;
  if (!BUCKETS.includes(o.bucket as HistoryBucket)) throw bad(`bucket is one of ${BUCKETS.join(', ')}`);
  const from = time(o.from, 'from');
  const to = time(o.to, 'to');
  if (from !== null && to !== null && from >= to) throw bad('from must come before to');
  return { bucket: o.bucket as HistoryBucket, from, to };
}

/** The start (ms) of the local bucket that holds `ms`. */
export function bucketStart(ms: number, bucket: HistoryBucket): number {
  const d = new Date(ms);
  switch (bucket) {
    case 'hour': { // the local hour: UTC hours shifted by the zone's offset, so a 25-hour day has 25 of them
      const offset = -d.getTimezoneOffset() * 60_000;
      return Math.floor((ms + offset) / 3_600_000) * 3_600_000 - offset;
    }
    case 'day': return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
    case 'week': return new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7)).getTime();
    case 'month': return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    case 'year': return new Date(d.getFullYear(), 0, 1).getTime();
  }
}

/** Where the local bucket that starts at `start` (ms) ends. */
function bucketEnd(start: number, bucket: HistoryBucket): number {
  const d = new Date(start);
  switch (bucket) {
    case 'hour': return start + 3_600_000;
    case 'day': return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
    case 'week': return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 7).getTime();
    case 'month': return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    case 'year': return new Date(d.getFullYear() + 1, 0, 1).getTime();
  }
}

/** Whether every edge of the buckets that cover [from, to) (ms) falls on a whole UTC hour. */
function edgesOnWholeHours(from: number, to: number, bucket: HistoryBucket): boolean {
  for (let edge = bucketStart(from, bucket); edge <= to; edge = bucketEnd(edge, bucket)) if (edge % 3_600_000 !== 0) return false;
  return true;
}

/** An aggregate row as read: start, then the columns of migrations/0010-initial.ts in order. */
const COLUMNS = 'start, import1, import2, import3, import4, import_total, export1, export2, export3, export4, export_total, gas, water, breaks';
const [IMPORT, EXPORT, GAS, WATER, BREAKS] = [1, 6, 11, 12, 13];

const kwh = (wh: number) => wh / 1000;
const byRegister = (r: readonly number[], at: number): RegisterKwh =>
  ({ t1: kwh(r[at]!), t2: kwh(r[at + 1]!), t3: kwh(r[at + 2]!), t4: kwh(r[at + 3]!), total: kwh(r[at + 4]!) });

/** Import priced per register: tariff n at perKWh[n-1], the x.8.0 register at perKWh[0]; null if a register used has no price. */
function cost(r: RegisterKwh, perKWh: readonly number[]): number | null {
  let sum = 0;
  for (const [kwhUsed, price] of [[r.t1, perKWh[0]], [r.t2, perKWh[1]], [r.t3, perKWh[2]], [r.t4, perKWh[3]], [r.total, perKWh[0]]] as const) {
    if (kwhUsed === 0) continue;
    if (price === undefined) return null;
    sum += kwhUsed * price;
  }
  return Math.round(sum * 1e4) / 1e4;
}

const seen = (db: Db, kind: string) => db.prepare('SELECT 1 FROM meta WHERE key = ?').get(`has-${kind}`) !== undefined;

/** Sums the hourly aggregates in [from, to) into buckets, oldest first; buckets with no reading are left out. */
export function historyBuckets(db: Db, q: CheckedQuery, perKWh: readonly number[]): HistoryBucketView[] {
  const span = db.prepare('SELECT MIN(start) AS first, MAX(start) AS last FROM agg_hour').get() as { first: number | null; last: number | null };
  if (span.first === null || span.last === null) return [];
  const from = Math.max(q.from ?? -Infinity, span.first);
  const to = Math.min(q.to ?? Infinity, span.last + 3600);
  if (from >= to) return [];
  const rows = (edgesOnWholeHours(from * 1000, to * 1000, q.bucket)
    ? db.prepare(`SELECT ${COLUMNS} FROM agg_hour WHERE start >= ? AND start < ? ORDER BY start`).raw().all(Math.floor(from / 3600) * 3600, to)
    : quarterRows(db, from, to)) as number[][];
  const sums: number[][] = [];
  let sum: number[] = [];
  let end = -Infinity;
  for (const row of rows) { // in time order: a row past the current bucket's end opens the next bucket
    if (row[0]! * 1000 >= end) {
      const start = bucketStart(row[0]! * 1000, q.bucket);
      end = bucketEnd(start, q.bucket);
      sums.push((sum = [start, ...row.slice(1)]));
    } else for (let k = 1; k < row.length; k++) sum[k]! += row[k]!;
  }
  const gas = seen(db, 'gas');
  const water = seen(db, 'water');
  return sums.map((r) => {
    const importByRegister = byRegister(r, IMPORT);
    const exportByRegister = byRegister(r, EXPORT);
    const total = (at: number) => kwh(r[at]! + r[at + 1]! + r[at + 2]! + r[at + 3]! + r[at + 4]!);
    return {
      start: new Date(r[0]!).toISOString(),
      importKwh: total(IMPORT),
      exportKwh: total(EXPORT),
      importByRegister,
      exportByRegister,
      gasM3: gas ? r[GAS]! / 1000 : null,
      waterM3: water ? r[WATER]! / 1000 : null,
      costEstimate: cost(importByRegister, perKWh),
      seriesBreaks: r[BREAKS]!,
    };
  });
}

/** Quarter-hours in [from, to) (s); hours before the quarter-hours began (a history older than 0030, §migrations/0030). */
function quarterRows(db: Db, from: number, to: number): number[][] {
  const since = db.prepare("SELECT value FROM meta WHERE key = 'quarter-hours-from'").get() as { value: string } | undefined;
  const cut = since === undefined ? -(2 ** 52) : Number(since.value); // hours before, quarters after: nothing counted twice
  return db.prepare(`SELECT ${COLUMNS} FROM agg_hour WHERE start >= ? AND start < MIN(?, ?)
    UNION ALL SELECT ${COLUMNS} FROM agg_15min WHERE start >= MAX(?, ?) AND start < ? ORDER BY start`).raw()
    .all(Math.floor(from / 3600) * 3600, to, cut, Math.floor(from / 900) * 900, cut, to) as number[][];
}

const CSV_COLUMNS = ['start', 'import_kwh', 'export_kwh', 'import_t1_kwh', 'import_t2_kwh', 'import_t3_kwh', 'import_t4_kwh', 'import_total_kwh',
  'export_t1_kwh', 'export_t2_kwh', 'export_t3_kwh', 'export_t4_kwh', 'export_total_kwh', 'gas_m3', 'water_m3', 'cost_estimate', 'series_breaks'];

export function historyCsv(buckets: readonly HistoryBucketView[]): string {
  const regs = (r: RegisterKwh) => [r.t1, r.t2, r.t3, r.t4, r.total];
  const lines = buckets.map((b) => [b.start, b.importKwh, b.exportKwh, ...regs(b.importByRegister), ...regs(b.exportByRegister),
    b.gasM3 ?? '', b.waterM3 ?? '', b.costEstimate ?? '', b.seriesBreaks].join(','));
  return [CSV_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

/** The samples stored in [from, to), at most 48 hours; decoded from the keyframe that starts the first minute. */
export function historySamples(db: Db, fromIso: unknown, toIso: unknown): HistorySampleView[] {
  const from = time(fromIso, 'from');
  const to = time(toIso, 'to');
  if (from === null || to === null || to <= from || to - from > MAX_SAMPLE_SPAN_S) throw bad('samples are read between two ISO times at most 48 hours apart');
  const rows = db.prepare('SELECT t, data FROM samples WHERE t >= ? AND t < ? ORDER BY t').raw().all(Math.floor(from / 60) * 60, to) as [number, Buffer][];
  const out: HistorySampleView[] = [];
  let prev: Sample | null = null;
  for (const [t, data] of rows) {
    prev = decodeSample(t, data, prev);
    if (t >= from) out.push(sampleView(prev));
  }
  return out;
}

const tenth = (dv: number | null) => (dv === null ? null : dv / 10);

function sampleView(s: Sample): HistorySampleView {
  const v = s.values;
  return {
    at: new Date(s.t * 1000).toISOString(),
    importWh: energy(v, 0),
    exportWh: energy(v, 5),
    tariff: v[REGISTERS]!,
    powerW: v[11]!,
    exportPowerW: v[12]!,
    phasePowerW: [v[13]!, v[14]!, v[15]!],
    phaseExportW: [v[16]!, v[17]!, v[18]!],
    voltageV: [tenth(v[19]!), tenth(v[20]!), tenth(v[21]!)],
  };
}
