/**
 * What the window takes from the live readings: power now, the power line and the meter's clock. Energy is not
 * summed here: it comes from the engine's history (exact register differences that survive a restart).
 * Everything here stays on this computer.
 * @module
 */
import type { PowerMinuteView, ReadingView } from '../../main/api/index.js';

/**
 * Power over time for the line, as uPlot columns (seconds, watts): the history's minutes (their mean power, at the
 * minute's start) that ended before the engine's in-memory readings begin (all of them after a restart), then those
 * readings as they arrive.
 */
export function powerSeries(readings: readonly ReadingView[], stored: readonly PowerMinuteView[] = []): [number[], (number | null)[]] {
  const first = readings[0] === undefined ? Infinity : Date.parse(readings[0].at);
  const t: number[] = [];
  const w: (number | null)[] = []; // null: a minute without power from the meter, a gap in the line
  for (const m of stored) {
    const ms = Date.parse(m.start);
    if (ms + 60_000 > first) break;
    t.push(ms / 1000);
    w.push(m.powerW?.mean ?? null);
  }
  for (const r of readings) {
    t.push(Date.parse(r.at) / 1000);
    w.push(r.powerW);
  }
  return [t, w];
}

/** The newest reading's power, per phase when the meter sends it, and when it came; nulls before the first. */
export interface Latest {
  powerW: number | null;
  /** L1–L3, when the meter sends them. */
  phasesW: (number | null)[] | null;
  lastAt: string | null;
}

export function latest(readings: readonly ReadingView[]): Latest {
  const r = readings.at(-1);
  return { powerW: r?.powerW ?? null, phasesW: r?.phasesW ?? null, lastAt: r?.at ?? null };
}

/** "Now" by the meter's clock (the newest reading's time stamp, accelerated in the demo), else this computer's. */
export const meterNow = (readings: readonly ReadingView[], fallbackMs: number): number => {
  const at = readings.at(-1)?.at;
  return at === undefined ? fallbackMs : Date.parse(at);
};
