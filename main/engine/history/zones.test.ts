import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

type Buckets = Record<'hour' | 'day' | 'week' | 'month' | 'year', { start: string; wh: number }[]>;

const FROM = '2026-03-20T00:00:00Z';
const TO = '2026-11-01T00:00:00Z';
const TELEGRAMS = (Date.parse(TO) - Date.parse(FROM)) / 900_000;
/** Wh of a local day `hours` long: one telegram (1 Wh) every quarter-hour. */
const day = (hours: number) => hours * 4;

const answered = new Map<string, Buckets>();
/**
 * The buckets of one telegram a quarter-hour (1 Wh each) from FROM to TO, answered by a child process in `zone`;
 * `quartersFrom`: a history older than the quarter-hours, which hold only what came after that time.
 */
function bucketsIn(zone: string, quartersFrom?: string): Buckets {
  const key = `${zone} ${quartersFrom}`;
  if (!answered.has(key)) {
    const args = ['--import', 'tsx', 'test/support/history-in-zone.ts', FROM, TO, ...(quartersFrom === undefined ? [] : [quartersFrom])];
    answered.set(key, JSON.parse(execFileSync(process.execPath, args, { env: { ...process.env, TZ: zone }, encoding: 'utf8' })) as Buckets);
  }
  return answered.get(key)!;
}

describe('history buckets in the computer time zone', () => {
  for (const zone of ['Asia/Kolkata', 'Australia/Adelaide', 'Europe/Brussels', 'America/St_Johns', 'UTC']) {
    it(`${zone}: every bucket size adds up to the register difference`, () => {
      const buckets = bucketsIn(zone);
      for (const size of Object.values(buckets)) expect(size.reduce((a, b) => a + b.wh, 0)).toBe(TELEGRAMS - 1);
    });
  }

  it('Asia/Kolkata (+05:30): days and hours start at its midnight and its hours, each exact', () => {
    const { day: days, hour: hours, month: months } = bucketsIn('Asia/Kolkata');
    const whole = days.slice(1, -1);
    expect(whole.length).toBeGreaterThan(200);
    expect(whole.every((d) => d.start.endsWith('T18:30:00.000Z') && d.wh === day(24))).toBe(true);
    expect(hours.slice(1, -1).every((h) => h.start.endsWith(':30:00.000Z') && h.wh === 4)).toBe(true);
    expect(months.find((m) => m.start === '2026-03-31T18:30:00.000Z')).toEqual({ start: '2026-03-31T18:30:00.000Z', wh: day(30 * 24) });
  });

  it('Asia/Kolkata, a history older than the quarter-hours: nothing counted twice or lost, exact days from then on', () => {
    const buckets = bucketsIn('Asia/Kolkata', '2026-06-01T00:00:00Z');
    for (const size of Object.values(buckets)) expect(size.reduce((a, b) => a + b.wh, 0)).toBe(TELEGRAMS - 1);
    const after = buckets.day.filter((d) => d.start >= '2026-06-01T18:30:00.000Z').slice(0, -1);
    expect(after.length).toBeGreaterThan(100);
    expect(after.every((d) => d.wh === day(24))).toBe(true);
  });

  it('Europe/Brussels: the spring day has 23 hours, the autumn day 25, each in its own buckets', () => {
    const { day: days, hour: hours } = bucketsIn('Europe/Brussels');
    expect(days.find((d) => d.start === '2026-03-28T23:00:00.000Z')).toEqual({ start: '2026-03-28T23:00:00.000Z', wh: day(23) });
    expect(days.find((d) => d.start === '2026-10-24T22:00:00.000Z')).toEqual({ start: '2026-10-24T22:00:00.000Z', wh: day(25) });
    const autumn = hours.filter((h) => h.start >= '2026-10-24T22:00:00.000Z' && h.start < '2026-10-25T23:00:00.000Z');
    expect(autumn).toHaveLength(25);
    expect(autumn.every((h) => h.wh === 4)).toBe(true);
  });

  it('Australia/Adelaide (+10:30 / +09:30): its DST days are 25 and 23 hours, starting at its midnight', () => {
    const { day: days } = bucketsIn('Australia/Adelaide');
    expect(days.find((d) => d.start === '2026-04-04T13:30:00.000Z')).toEqual({ start: '2026-04-04T13:30:00.000Z', wh: day(25) });
    expect(days.find((d) => d.start === '2026-10-03T14:30:00.000Z')).toEqual({ start: '2026-10-03T14:30:00.000Z', wh: day(23) });
  });
});
