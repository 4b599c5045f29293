/**
 * Follow mode's rules (issue 13): which readings of a real meter may become tokens. Only a reading that continues
 * the last accepted one does: the same meter, registers that did not go back, time that did not go back, and no
 * more than a period since (consumption over a longer gap cannot be put into periods). Pure: no I/O, no clock.
 * @module
 */
import type { Readings } from '../protocol/index.js';
import type { MeterRecord } from './state-file.js';

/** What follow mode takes from one telegram of the real meter. */
export interface FollowedReading {
  /** The real meter's equipment id (0-0:96.1.1 as written; '' when it sends none). */
  equipmentId: string;
  /** The reading's time (the telegram's, else when it was received), ms since the epoch. */
  nowMs: number;
  /** Import registers 1-0:1.8.1 (tariff 1, low) and 1-0:1.8.2 (tariff 2, normal), kWh. */
  importKwh: readonly [number, number];
  tariff: 1 | 2;
  powerKw: number;
  voltage?: readonly [number, number, number];
}

export type FollowRefusalCode = 'no-registers' | 'other-meter' | 'register-backwards' | 'time-backwards' | 'gap';

export interface FollowRefusal {
  code: FollowRefusalCode;
  /** For the operator's log: says what is wrong, never a token or a count. */
  message: string;
}

/** Reads what follow mode needs from a decoded telegram; a refusal when its import registers are missing. */
export function followedReading(readings: Readings, receivedMs: number): FollowedReading | FollowRefusal {
  const { t1, t2 } = readings.importKwh;
  if (t1 === undefined || t2 === undefined || !Number.isFinite(t1) || !Number.isFinite(t2))
    return { code: 'no-registers', message: 'the meter sends no import registers 1-0:1.8.1 and 1-0:1.8.2: follow mode cannot price its consumption' };
  const utc = readings.timestamp?.utc;
  const { l1, l2, l3 } = readings.voltageV;
  return {
    equipmentId: readings.equipmentId ?? '',
    nowMs: utc ? Date.parse(utc) : receivedMs,
    importKwh: [t1, t2],
    tariff: readings.tariff !== undefined && Number(readings.tariff) === 1 ? 1 : 2,
    powerKw: readings.powerImportKw ?? 0,
    ...(l1 !== undefined ? { voltage: [l1, l2 ?? l1, l3 ?? l1] as const } : {}),
  };
}

/** Why `reading` may not follow the record's last accepted reading; null when it may. */
export function checkFollowed(r: MeterRecord, reading: FollowedReading, periodMs: number): FollowRefusal | null {
  const last = r.follow?.equipmentId;
  if (last === null || last === undefined) return null; // the baseline
  if (reading.equipmentId !== last)
    return { code: 'other-meter', message: 'the telegram comes from another meter (its equipment id differs): this Sipster meter follows one meter only' };
  const back = [0, 1].find((k) => reading.importKwh[k]! < r.importKwh[k]!);
  if (back !== undefined)
    return { code: 'register-backwards', message: `register 1-0:1.8.${back + 1} went backwards: refused, nothing is priced until it passes its last value` };
  if (reading.nowMs < r.clockMs) return { code: 'time-backwards', message: "the meter's clock went backwards: refused until it passes its last reading's time" };
  if (reading.nowMs - r.clockMs > periodMs)
    return { code: 'gap', message: 'more than a billing period since the last reading: the consumption cannot be put into periods, so it is not turned into tokens' };
  return null;
}
