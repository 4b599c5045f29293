import { describe, expect, it } from 'vitest';
import { Household, tariffAt } from './household.js';

const MIN = 60_000;
const monday = Date.UTC(2026, 0, 5) - 3_600_000; // 00:00 local (UTC+1)

/** Average kW over local hours [from, to) of `days` days starting at `day0` (days after that Monday). */
function average(day0: number, days: number, from: number, to: number, minutes: number[]): number {
  let sum = 0;
  let n = 0;
  for (let d = day0; d < day0 + days; d++) {
    for (let m = from * 60; m < to * 60; m++) {
      sum += minutes[d * 1440 + m]!;
      n++;
    }
  }
  return sum / n;
}

describe('household load profile', () => {
  const house = new Household(1);
  const minutes = Array.from({ length: 28 * 1440 }, (_, m) => house.powerKw(monday + m * MIN)); // four weeks, in order

  it('has a daily shape: evenings above nights', () => {
    expect(average(0, 28, 18, 22, minutes)).toBeGreaterThan(3 * average(0, 28, 1, 5, minutes));
  });

  it('has a weekly shape: weekend days fuller than weekday days', () => {
    const weekdays = [0, 7, 14, 21].map((w) => average(w, 5, 10, 16, minutes));
    const weekends = [5, 12, 19, 26].map((w) => average(w, 2, 10, 16, minutes));
    expect(weekends.reduce((a, b) => a + b)).toBeGreaterThan(weekdays.reduce((a, b) => a + b));
  });

  it('switches appliances on and off, and is the same household for the same seed', () => {
    expect(minutes.filter((kw) => kw > 2).length).toBeGreaterThan(100);
    const kwh = minutes.reduce((a, b) => a + b, 0) / 60 / 28;
    expect(kwh).toBeGreaterThan(4); // a Dutch household uses ~8 kWh a day
    expect(kwh).toBeLessThan(16);
    const twin = new Household(1);
    expect(minutes.slice(0, 2000).every((kw, m) => twin.powerKw(monday + m * MIN) === kw)).toBe(true);
  });
});

describe('time-of-use tariff', () => {
  it('is normal (2) on weekdays 07:00–23:00 local, low (1) at night and at weekends', () => {
    expect(tariffAt(monday + 8 * 60 * MIN)).toBe(2);
    expect(tariffAt(monday + 23.5 * 60 * MIN)).toBe(1);
    expect(tariffAt(monday + 6.5 * 60 * MIN)).toBe(1);
    expect(tariffAt(monday + (5 * 24 + 12) * 60 * MIN)).toBe(1); // Saturday noon
  });
});
