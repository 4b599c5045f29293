/**
 * A household's DSMR 5 telegrams, built quickly for the history's benchmarks and the Energy screen's tests: the load
 * of the meter emulator's household minute by minute with noise each second, solar export at midday, two tariffs,
 * gas every 5 minutes. Synthetic but shaped like a real home; registers move by the energy between telegrams.
 * @module
 */
import type { Readings } from '../../protocol/index.js';
import { Household, seededRandom, tariffAt } from '../../meter-emulator/index.js';
import { householdReadings } from './household-readings.js';

/** The telegram at `t` (Unix seconds), `dt` seconds after the one before; call with `t` rising. */
export type TelegramAt = (t: number, dt: number) => Readings;

export function householdTelegrams(seed = 7): TelegramAt {
  const household = new Household(seed);
  const random = seededRandom(seed + 4);
  const wh = [0, 0];
  const exported = [0, 0];
  let gas = 1_234_000;
  let minuteKw = 0;
  let minute = -1;
  return (t, dt) => {
    if (Math.floor(t / 60) !== minute) { minute = Math.floor(t / 60); minuteKw = household.powerKw(t * 1000); }
    const hourOfDay = (t % 86_400) / 3600;
    const solarKw = Math.max(0, 3 * Math.sin(((hourOfDay - 6) / 12) * Math.PI));
    const loadW = Math.round(minuteKw * 1000 * (0.95 + 0.1 * random()));
    const net = loadW - Math.round(solarKw * 1000);
    const tariff = tariffAt(t * 1000);
    if (net > 0) wh[tariff - 1]! += (net * dt) / 3600;
    else exported[tariff - 1]! += (-net * dt) / 3600;
    if (Math.floor(t / 300) !== Math.floor((t - dt) / 300)) gas += Math.round(random() * 40); // a 5-minute mark passed
    const importW = Math.max(0, net);
    return householdReadings(t, {
      import: [Math.floor(wh[0]!), Math.floor(wh[1]!)], export: [Math.floor(exported[0]!), Math.floor(exported[1]!)], tariff,
      powerW: importW, exportW: Math.max(0, -net), phasesW: [Math.round(importW * 0.5), Math.round(importW * 0.3), importW - Math.round(importW * 0.5) - Math.round(importW * 0.3)],
      voltageDv: [2300 + Math.round(random() * 40 - 20), 2300 + Math.round(random() * 40 - 20), 2300 + Math.round(random() * 40 - 20)],
      gas: { t: Math.floor(t / 300) * 300, litres: gas },
    });
  };
}

/**
 * `days` of telegrams ending at `endS` (Unix seconds) into `add`: one every `stepS` seconds, then the last `fullDays`
 * at one a second (what the history keeps at full resolution). Returns how many were written.
 */
export function writeHouseholdDays(add: (r: Readings) => void, o: { endS: number; days: number; stepS: number; fullDays: number; seed?: number }): number {
  const telegram = householdTelegrams(o.seed);
  const fullFrom = o.endS - o.fullDays * 86_400;
  let n = 0;
  let t = o.endS - o.days * 86_400;
  for (; t < fullFrom; t += o.stepS, n++) add(telegram(t, o.stepS));
  for (; t < o.endS; t++, n++) add(telegram(t, 1));
  return n;
}
