/**
 * The meter's non-volatile memory (protocol.md §Meter state): one small file of constant size — keys,
 * seeds of the current and previous period, period, epoch, counter, running sum, registers — never
 * a list that grows with K. Written atomically (temporary file, fsync, rename) before a token is emitted.
 * @module
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { bytesToHex, hexToBytes, type MeterState, type PeriodSecrets } from '../protocol/index.js';
import { MeterError } from './errors.js';

export interface MeterRecord {
  state: MeterState;
  setSecretKey: Uint8Array;
  billSecretKey: Uint8Array;
  /** Emulated time the state was written at (ms since the epoch, UTC); the clock resumes from it. */
  clockMs: number;
  /** When the current period started (emulated ms). */
  periodStartMs: number;
  /** Tokens of the current period already sent once as new; the rest are still due. */
  sent: number;
  /** The same for the previous period: tokens issued just before the period closed may still be due. */
  sentPrevious: number;
  /** The closed period's bill has not been sent as new yet. */
  billDue: boolean;
  /** Energy delivered, tariff 1 and 2, kWh (OBIS 1-0:1.8.1, 1-0:1.8.2). */
  importKwh: [number, number];
  /** Priced consumption since the last token, micro-units of currency. */
  pricedSinceToken: number;
  /** Seed of the load profile's random choices, so that a restart continues the same household. */
  householdSeed: number;
  /**
   * Follow mode only: the real meter followed (its equipment id; null until the first reading). `importKwh` and
   * `clockMs` are then its last accepted reading, and `pricedSinceToken` the fraction of a unit not yet emitted.
   */
  follow?: { equipmentId: string | null };
}

const FORMAT = 'sipster-meter-state-v1';

const secretsToJson = (s: PeriodSecrets) => ({ seed: bytesToHex(s.seed), epoch: s.epoch, count: s.count, sum: s.sum.toString(), fault: s.fault });
const secretsFromJson = (o: ReturnType<typeof secretsToJson>): PeriodSecrets => ({
  seed: hexToBytes(o.seed, 32), epoch: o.epoch, count: o.count, sum: BigInt(o.sum), fault: o.fault,
});

export function saveRecord(file: string, r: MeterRecord): void {
  const json = JSON.stringify({
    format: FORMAT, id: r.state.id, set: r.state.set, period: r.state.period,
    current: secretsToJson(r.state.current), previous: r.state.previous && secretsToJson(r.state.previous),
    setSecretKey: bytesToHex(r.setSecretKey), billSecretKey: bytesToHex(r.billSecretKey),
    clockMs: r.clockMs, periodStartMs: r.periodStartMs, sent: r.sent, sentPrevious: r.sentPrevious, billDue: r.billDue,
    importKwh: r.importKwh, pricedSinceToken: r.pricedSinceToken, householdSeed: r.householdSeed, ...(r.follow ? { follow: r.follow } : {}),
  });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, json);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** @returns null when there is no file yet; throws MeterError when there is one that does not parse. */
export function loadRecord(file: string): MeterRecord | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new MeterError('bad-state-file', 'cannot read the meter state file', { cause: e });
  }
  try {
    const o = JSON.parse(text);
    if (o.format !== FORMAT) throw new Error('unknown format');
    return {
      state: { id: o.id, set: o.set, period: o.period, current: secretsFromJson(o.current), previous: o.previous ? secretsFromJson(o.previous) : null },
      setSecretKey: hexToBytes(o.setSecretKey, 32), billSecretKey: hexToBytes(o.billSecretKey, 32),
      clockMs: o.clockMs, periodStartMs: o.periodStartMs, sent: o.sent, sentPrevious: o.sentPrevious, billDue: o.billDue,
      importKwh: o.importKwh, pricedSinceToken: o.pricedSinceToken, householdSeed: o.householdSeed,
      ...(o.follow ? { follow: { equipmentId: typeof o.follow.equipmentId === 'string' ? o.follow.equipmentId : null } } : {}),
    };
  } catch (cause) {
    throw new MeterError('bad-state-file', 'the meter state file does not parse', { cause });
  }
}
