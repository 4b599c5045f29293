/**
 * The standard DSMR 5.0.2 objects every telegram carries (P1 Companion Standard §6.12), so that any P1
 * software (Home Assistant, DSMR-reader) reads the emulator like a Dutch meter: version, timestamp,
 * equipment id, energy delivered and returned per tariff, tariff indicator, power, and per-phase
 * voltage, current and power.
 * @module
 */
import { encodeP1Time } from '../protocol/index.js';

export interface MeterReading {
  nowMs: number;
  meterId: string;
  importKwh: readonly [number, number];
  tariff: 1 | 2;
  powerKw: number;
  /** Per-phase voltage, V. */
  voltage: readonly [number, number, number];
}

/** How the household's load spreads over the three phases. */
const PHASE_SHARE = [0.5, 0.3, 0.2] as const;

const fixed = (n: number, int: number, dec: number) => n.toFixed(dec).padStart(int + dec + (dec > 0 ? 1 : 0), '0');
const hexAscii = (s: string) => Buffer.from(s, 'ascii').toString('hex').toUpperCase();

export function readingLines(r: MeterReading): string[] {
  const phases = [0, 1, 2] as const;
  const phaseKw = phases.map((p) => r.powerKw * PHASE_SHARE[p]);
  return [
    '1-3:0.2.8(50)',
    `0-0:1.0.0(${encodeP1Time(r.nowMs)})`,
    `0-0:96.1.1(${hexAscii(r.meterId)})`,
    `1-0:1.8.1(${fixed(r.importKwh[0], 6, 3)}*kWh)`,
    `1-0:1.8.2(${fixed(r.importKwh[1], 6, 3)}*kWh)`,
    '1-0:2.8.1(000000.000*kWh)',
    '1-0:2.8.2(000000.000*kWh)',
    `0-0:96.14.0(000${r.tariff})`,
    `1-0:1.7.0(${fixed(r.powerKw, 2, 3)}*kW)`,
    '1-0:2.7.0(00.000*kW)',
    ...phases.map((p) => `1-0:${32 + 20 * p}.7.0(${fixed(r.voltage[p], 3, 1)}*V)`),
    ...phases.map((p) => `1-0:${31 + 20 * p}.7.0(${fixed(Math.round((phaseKw[p]! * 1000) / r.voltage[p]), 3, 0)}*A)`),
    ...phases.map((p) => `1-0:${21 + 20 * p}.7.0(${fixed(phaseKw[p]!, 2, 3)}*kW)`),
    ...phases.map((p) => `1-0:${22 + 20 * p}.7.0(00.000*kW)`),
  ];
}
