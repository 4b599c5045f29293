/**
 * Writes telegrams into the history in batches: every BATCH telegrams or FLUSH_MS, whichever comes first, in one
 * transaction with the aggregates they add to, so a crash loses at most the last batch (seconds) and never leaves
 * aggregates and samples apart.
 *
 * Aggregates are exact: each telegram adds, for each register, its difference from the register's previous value
 * (Wh; gas and water in litres), to the 5-minute, quarter-hour and hourly buckets that hold the telegram's time. A register that
 * goes backwards (a meter swapped or reset) adds nothing: it starts a new series from its new value, and the bucket
 * counts one series break. Each telegram is also folded into its minute's power summary (minutes.ts). Old rows go:
 * samples and minutes after 10 days, 5-minute buckets after 2 years; quarter-hours and hours stay.
 * @module
 */
import type { MbusDevice, Readings } from '../../../protocol/index.js';
import type { Db } from './db.js';
import { MinuteSummaries } from './minutes.js';
import { REGISTERS, type Sample, decodeSample, encodeSample, mayDelta, sampleOf } from './sample.js';

export const BATCH = 256;
export const FLUSH_MS = 2_000;
export const FULL_RESOLUTION_S = 10 * 86_400;
export const FIVE_MINUTES_KEPT_S = 2 * 365 * 86_400;
const PRUNE_EVERY_S = 3_600;
/** Telegrams held while the file cannot be written (disk full): a day at 1/s; registers are cumulative, so energy is not lost. */
const MAX_PENDING = 86_400;
/** Aggregate columns: the 10 registers, then gas, water, breaks (migrations/0010-initial.ts). */
const GAS = REGISTERS;
const WATER = REGISTERS + 1;
const BREAKS = REGISTERS + 2;
const COLUMNS = ['import1', 'import2', 'import3', 'import4', 'import_total', 'export1', 'export2', 'export3', 'export4', 'export_total', 'gas', 'water', 'breaks'];
const MBUS_KINDS: Record<number, 'gas' | 'water'> = { 3: 'gas', 7: 'water' };

interface State {
  /** The last sample stored: the base of the next difference, and the time a telegram must come after. */
  prev: Sample | null;
  registers: (number | null)[];
  mbus: Record<'gas' | 'water', { t: number; litres: number } | null>;
  failures: string;
  failureLog: string;
  prunedAt: number;
}

const seconds = (iso: string | null | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
};

/** An M-Bus reading in litres (m³ × 1000), or null when it is not one the history keeps. */
function litresOf(d: MbusDevice): number | null {
  if (d.value === null || d.value === undefined) return null;
  const unit = (d.unit ?? '').toLowerCase();
  if (unit === 'm3') return Math.round(d.value * 1000);
  if (unit === 'dm3' || unit === 'l') return Math.round(d.value);
  return null;
}

export class HistoryWriter {
  private pending: { r: Readings; t: number }[] = [];
  private state: State;
  /** The kind of the last write failure, said once until a write goes through. */
  private failing: string | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly insertSample;
  private readonly upsert5;
  private readonly upsert15;
  private readonly upsertHour;
  private readonly insertMbus;
  private readonly insertFailure;
  private readonly insertCounts;
  private readonly setMeta;
  private readonly minutes;

  /** `onError`: a batch could not be written (it is kept and tried again); said once per kind of failure. */
  constructor(private readonly db: Db, private readonly onError: (e: unknown) => void = () => {}) {
    this.state = loadState(db);
    const upsert = (table: string) => db.prepare(`INSERT INTO ${table} (start, ${COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(COLUMNS.length)})
      ON CONFLICT (start) DO UPDATE SET ${COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
    this.insertSample = db.prepare('INSERT INTO samples (t, data) VALUES (?, ?)');
    this.upsert5 = upsert('agg_5min');
    this.upsert15 = upsert('agg_15min');
    this.upsertHour = upsert('agg_hour');
    this.insertMbus = db.prepare('INSERT OR IGNORE INTO mbus (kind, t, litres) VALUES (?, ?, ?)');
    this.insertFailure = db.prepare('INSERT OR IGNORE INTO power_failures (end_t, duration_s) VALUES (?, ?)');
    this.insertCounts = db.prepare('INSERT OR REPLACE INTO failure_counts (t, short, long) VALUES (?, ?, ?)');
    this.setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.minutes = new MinuteSummaries(db);
    this.timer = setInterval(() => this.flush(), FLUSH_MS).unref();
  }

  /** Queues a telegram; `arrivedAt` stands for its time when the meter sends none. @returns its time (s), or null. */
  add(r: Readings, arrivedAt: string): number | null {
    const t = seconds(r.timestamp?.utc) ?? seconds(arrivedAt);
    if (t === null) return null;
    this.pending.push({ r, t });
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    if (this.pending.length >= BATCH) this.flush();
    return t;
  }

  /** The newest sample written. */
  get last(): Sample | null {
    return this.state.prev;
  }

  /** Writes what is queued, in one transaction; on failure keeps it for the next try. @returns whether all is written. */
  flush(): boolean {
    if (this.pending.length === 0) return true;
    try {
      const next = this.write(this.pending);
      this.state = next;
      this.pending = [];
      this.failing = null;
      return true;
    } catch (e) {
      this.minutes.discard();
      const code = String((e as { code?: unknown }).code ?? (e as Error).name);
      if (code !== this.failing) this.onError(e);
      this.failing = code;
      return false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private write(batch: readonly { r: Readings; t: number }[]): State {
    const s0 = this.state;
    const next: State = { ...s0, registers: [...s0.registers], mbus: { ...s0.mbus } };
    const buckets5 = new Map<number, number[]>();
    const quarters = new Map<number, number[]>();
    const hours = new Map<number, number[]>();
    const add = (t: number, column: number, amount: number) => {
      for (const [map, size] of [[buckets5, 300], [quarters, 900], [hours, 3600]] as const) {
        const start = Math.floor(t / size) * size;
        let row = map.get(start);
        if (!row) map.set(start, (row = new Array<number>(COLUMNS.length).fill(0)));
        row[column]! += amount;
      }
    };
    const seen = new Set<string>();
    this.db.transaction(() => {
      for (const { r, t } of batch) {
        if (next.prev !== null && t <= next.prev.t) continue; // a repeat or the meter's clock stepping back: the next telegram carries the registers
        const sample = sampleOf(r, t);
        this.insertSample.run(t, encodeSample(sample, mayDelta(next.prev, t) ? next.prev : null));
        next.prev = sample;
        this.minutes.add(sample);
        for (let k = 0; k < REGISTERS; k++) {
          const x = sample.values[k];
          if (x === null || x === undefined) continue;
          const last = next.registers[k];
          if (last !== null && last !== undefined) {
            if (x >= last) { if (x > last) add(t, k, x - last); }
            else add(t, BREAKS, 1); // a new series: never negative use
          }
          next.registers[k] = x;
        }
        for (const d of r.mbus) this.mbusReading(d, t, next, add, seen);
        this.failures(r, t, next);
      }
      for (const [stmt, map] of [[this.upsert5, buckets5], [this.upsert15, quarters], [this.upsertHour, hours]] as const)
        for (const [start, row] of map) stmt.run(start, ...row);
      this.minutes.write();
      for (const kind of seen) this.setMeta.run(`has-${kind}`, '1');
      const newest = next.prev?.t ?? 0;
      if (newest - next.prunedAt >= PRUNE_EVERY_S) {
        const cutoff = Math.floor((newest - FULL_RESOLUTION_S) / 60) * 60; // whole minutes: each starts with a keyframe
        this.db.prepare('DELETE FROM samples WHERE t < ?').run(cutoff);
        this.db.prepare('DELETE FROM minutes WHERE start < ?').run(cutoff);
        this.db.prepare('DELETE FROM mbus WHERE t < ? AND t < (SELECT MAX(t) FROM mbus m WHERE m.kind = mbus.kind)').run(cutoff);
        this.db.prepare('DELETE FROM agg_5min WHERE start < ?').run(newest - FIVE_MINUTES_KEPT_S);
        next.prunedAt = newest;
      }
    })();
    return next;
  }

  private mbusReading(d: MbusDevice, t: number, next: State, add: (t: number, column: number, amount: number) => void, seen: Set<string>): void {
    const kind = d.deviceType === undefined ? undefined : MBUS_KINDS[d.deviceType];
    const litres = litresOf(d);
    if (!kind || litres === null) return;
    const at = seconds(d.timestamp?.utc) ?? t;
    const last = next.mbus[kind];
    if (last !== null && at <= last.t) return; // the same reading again (a gas meter reports every 5 minutes or hour)
    if (last !== null) {
      if (litres >= last.litres) add(at, kind === 'gas' ? GAS : WATER, litres - last.litres);
      else add(at, BREAKS, 1);
    }
    next.mbus[kind] = { t: at, litres };
    this.insertMbus.run(kind, at, litres);
    seen.add(kind);
  }

  private failures(r: Readings, t: number, next: State): void {
    const counts = `${r.shortPowerFailures ?? ''},${r.longPowerFailures ?? ''}`;
    if (counts !== ',' && counts !== next.failures) {
      this.insertCounts.run(t, r.shortPowerFailures ?? null, r.longPowerFailures ?? null);
      next.failures = counts;
    }
    const log = r.powerFailureLog.map((f) => `${f.end?.utc}/${f.durationS}`).join(',');
    if (log === next.failureLog) return;
    for (const f of r.powerFailureLog) {
      const end = seconds(f.end?.utc);
      if (end !== null) this.insertFailure.run(end, Math.round(f.durationS));
    }
    next.failureLog = log;
  }
}

/** Where the last run stopped: the last sample (decoded from its minute's keyframe), gas, water, failure counts. */
function loadState(db: Db): State {
  const last = db.prepare('SELECT t FROM samples ORDER BY t DESC LIMIT 1').get() as { t: number } | undefined;
  let prev: Sample | null = null;
  if (last) {
    const rows = db.prepare('SELECT t, data FROM samples WHERE t >= ? ORDER BY t').all(Math.floor(last.t / 60) * 60) as { t: number; data: Buffer }[];
    for (const row of rows) prev = decodeSample(row.t, row.data, prev);
  }
  const mbus = (kind: string) => (db.prepare('SELECT t, litres FROM mbus WHERE kind = ? ORDER BY t DESC LIMIT 1').get(kind) as { t: number; litres: number } | undefined) ?? null;
  const counts = db.prepare('SELECT short, long FROM failure_counts ORDER BY t DESC LIMIT 1').get() as { short: number | null; long: number | null } | undefined;
  return {
    prev,
    registers: prev ? prev.values.slice(0, REGISTERS) : new Array<number | null>(REGISTERS).fill(null),
    mbus: { gas: mbus('gas'), water: mbus('water') },
    failures: counts ? `${counts.short ?? ''},${counts.long ?? ''}` : ',',
    failureLog: '',
    prunedAt: 0,
  };
}
