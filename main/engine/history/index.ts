/**
 * The energy history (docs/engine.md §Energy history): every telegram stored in `history.sqlite`, apart from the
 * wallet, with exact aggregates kept after the telegrams go.
 * @module
 */
import type { CapacityView, HistoryBucketView, HistorySampleView, PowerMinuteView } from '../../api/index.js';
import type { Readings } from '../../../protocol/index.js';
import { EngineError } from '../errors.js';
import { type MeterDemand, capacityFromDb, meterDemandOf } from './capacity.js';
import { type Db, openHistoryOrSetAside } from './db.js';
import { powerProfile } from './minutes.js';
import { checkQuery, historyBuckets, historyCsv, historySamples, time } from './query.js';
import { POWER_IMPORT } from './sample.js';
import { HistoryWriter } from './writer.js';

export { openHistoryDb, openHistoryOrSetAside } from './db.js';
export { migrate, LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
export { BATCH, FLUSH_MS, FULL_RESOLUTION_S, FIVE_MINUTES_KEPT_S } from './writer.js';

/** The history of one data folder: telegrams in, buckets, samples and CSV out. */
export class History {
  private readonly writer: HistoryWriter;
  /** The demand values of the newest telegram that had them (Belgian meters); not stored, each telegram brings them again. */
  private demand: MeterDemand | null = null;

  constructor(readonly db: Db, onError?: (e: unknown) => void) {
    this.writer = new HistoryWriter(db, onError);
  }

  /** Opens `file` (a damaged one is set aside); `key` is for an encrypted history, not built yet. */
  static open(file: string, key: Uint8Array | null = null, onError?: (e: unknown) => void): History {
    return new History(openHistoryOrSetAside(file, key), onError);
  }

  add(r: Readings, arrivedAt: string): void {
    const t = this.writer.add(r, arrivedAt);
    if (t !== null) this.demand = meterDemandOf(r, t) ?? this.demand;
  }

  flush(): boolean {
    return this.writer.flush();
  }

  /** Buckets of `query` (validated here), priced with `perKWh` (the tariff's price per register). */
  buckets(query: unknown, perKWh: readonly number[]): HistoryBucketView[] {
    this.writer.flush();
    return historyBuckets(this.db, checkQuery(query), perKWh);
  }

  csv(query: unknown, perKWh: readonly number[]): string {
    return historyCsv(this.buckets(query, perKWh));
  }

  samples(from: unknown, to: unknown): HistorySampleView[] {
    this.writer.flush();
    return historySamples(this.db, from, to);
  }

  /** Power minute by minute in [from, to) (ISO times, at most 10 days): what a day's chart draws. */
  powerProfile(from: unknown, to: unknown): PowerMinuteView[] {
    this.writer.flush();
    const start = time(from, 'from');
    const end = time(to, 'to');
    if (start === null || end === null) throw new EngineError('bad-request', 'a power profile is read between two ISO times');
    return powerProfile(this.db, start, end);
  }

  /** Belgium's capacity tariff as of the newest telegram stored. */
  capacity(): CapacityView {
    this.writer.flush();
    const last = this.writer.last;
    return capacityFromDb(this.db, last?.t ?? null, last?.values[POWER_IMPORT] ?? null, this.demand);
  }

  close(): void {
    this.writer.close();
    this.db.close();
  }
}
