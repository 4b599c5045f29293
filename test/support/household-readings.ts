/**
 * Readings as the parser gives them for a DSMR 5 household, built directly (no telegram text): for the history's
 * tests and bench:history, which store millions of them. Registers in Wh, power in W, gas in litres, times in
 * seconds; a value left out is one the meter does not send.
 */
import { decodeTelegram, encodeP1Time, encodeTelegram, type Readings } from '../../protocol/index.js';
import { readingLines } from '../../meter-emulator/dsmr-lines.js';

export interface HouseholdValues {
  import: [number, number];
  export?: [number, number];
  tariff?: 1 | 2;
  powerW?: number;
  exportW?: number;
  phasesW?: [number, number, number];
  voltageDv?: [number, number, number];
  /** Gas register (litres) with its own M-Bus time stamp (seconds). */
  gas?: { t: number; litres: number };
  shortFailures?: number;
}

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export function householdReadings(t: number, v: HouseholdValues): Readings {
  const ph = v.phasesW ?? [0, 0, 0];
  const dv = v.voltageDv ?? [2300, 2300, 2300];
  return {
    header: 'ISK5\\2M550T-1012',
    version: '50',
    timestamp: { raw: '', utc: iso(t) },
    importKwh: { t1: v.import[0] / 1000, t2: v.import[1] / 1000 },
    exportKwh: { t1: (v.export?.[0] ?? 0) / 1000, t2: (v.export?.[1] ?? 0) / 1000 },
    tariff: `000${v.tariff ?? 1}`,
    powerImportKw: (v.powerW ?? 0) / 1000,
    powerExportKw: (v.exportW ?? 0) / 1000,
    voltageV: { l1: dv[0] / 10, l2: dv[1] / 10, l3: dv[2] / 10 },
    currentA: {},
    powerImportKwPhases: { l1: ph[0] / 1000, l2: ph[1] / 1000, l3: ph[2] / 1000 },
    powerExportKwPhases: { l1: 0, l2: 0, l3: 0 },
    ...(v.shortFailures !== undefined ? { shortPowerFailures: v.shortFailures, longPowerFailures: 0 } : {}),
    powerFailureLog: [],
    mbus: v.gas ? [{ channel: 1, deviceType: 3, timestamp: { raw: '', utc: iso(v.gas.t) }, value: v.gas.litres / 1000, unit: 'm3' }] : [],
    objects: 30,
  };
}

/**
 * A real DSMR 5 telegram as the meter emulator writes it (meter-emulator/dsmr-lines.ts), with a gas line, encoded
 * with its CRC and read back by the P1 parser: what the engine gets from the serial link.
 */
export function parsedTelegram(t: number, importWh: [number, number], gasLitres: number): Readings {
  const lines = readingLines({ nowMs: t * 1000, meterId: 'E0000000000000000', importKwh: [importWh[0] / 1000, importWh[1] / 1000], tariff: 1, powerKw: 1.2, voltage: [230.1, 229.8, 231] });
  const gasAt = Math.floor(t / 300) * 300;
  lines.push('0-1:24.1.0(003)', `0-1:24.2.1(${encodeP1Time(gasAt * 1000)})(${(gasLitres / 1000).toFixed(3).padStart(9, '0')}*m3)`);
  return decodeTelegram(encodeTelegram('ISK5\\2M550T-1012', lines), { requireCrc: true }).readings;
}
