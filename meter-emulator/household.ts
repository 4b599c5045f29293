/**
 * A household's electricity use, minute by minute (issue 3): a daily shape (night, morning and evening
 * peaks), a weekly one (people are home on weekends), noise, and appliances that switch on and off:
 * a fridge cycling all day, kettles and ovens around meals, washing machines on some days. Seeded and
 * deterministic, so a test or benchmark sees the same consumption every run.
 * @module
 */

/** Small seeded PRNG (mulberry32): reproducible, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Appliance {
  name: string;
  kw: number;
  minutes: number;
  /** Chance per minute of switching on, by local hour (0–23) and whether it is a weekend. */
  chance: (hour: number, weekend: boolean) => number;
}

const meal = (hour: number) => hour === 7 || hour === 8 || hour === 12 || (hour >= 17 && hour <= 19);
const APPLIANCES: Appliance[] = [
  { name: 'kettle', kw: 2.0, minutes: 3, chance: (h) => (meal(h) ? 0.02 : h >= 7 && h <= 22 ? 0.003 : 0) },
  { name: 'oven', kw: 2.4, minutes: 45, chance: (h, we) => (h >= 17 && h <= 18 ? (we ? 0.02 : 0.012) : 0) },
  { name: 'washing machine', kw: 1.2, minutes: 90, chance: (h, we) => (h >= 9 && h <= 20 ? (we ? 0.004 : 0.001) : 0) },
  { name: 'dishwasher', kw: 1.5, minutes: 60, chance: (h) => (h >= 19 && h <= 22 ? 0.004 : 0) },
];

/** Background use (lights, devices, standby) by local hour, kW; weekends are fuller during the day. */
function background(hour: number, weekend: boolean): number {
  if (hour < 6) return 0.08;
  if (hour < 9) return weekend ? 0.2 : 0.35;
  if (hour < 17) return weekend ? 0.3 : 0.15;
  if (hour < 23) return 0.45;
  return 0.15;
}

/** The Netherlands without summer time is close enough for a load shape. */
const localParts = (utcMs: number) => {
  const d = new Date(utcMs + 3_600_000);
  return { hour: d.getUTCHours(), weekend: d.getUTCDay() === 0 || d.getUTCDay() === 6, minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes() };
};

export class Household {
  private readonly random: () => number;
  private readonly running = new Map<string, number>(); // appliance → minute it switches off

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Average power over the minute starting at `utcMs`, kW. Call with increasing times, one minute apart. */
  powerKw(utcMs: number): number {
    const { hour, weekend } = localParts(utcMs);
    const minute = Math.floor(utcMs / 60_000);
    const fridge = minute % 45 < 15 ? 0.12 : 0;
    let kw = background(hour, weekend) * (0.85 + 0.3 * this.random()) + fridge;
    for (const a of APPLIANCES) {
      const off = this.running.get(a.name);
      if (off !== undefined && minute >= off) this.running.delete(a.name);
      if (!this.running.has(a.name) && this.random() < a.chance(hour, weekend)) this.running.set(a.name, minute + a.minutes);
      if (this.running.has(a.name)) kw += a.kw;
    }
    return kw;
  }
}

/**
 * Time-of-use tariff (DSMR tariff indicator 0-0:96.14.0: 1 = low, 2 = normal): normal on weekdays
 * 07:00–23:00 local time, low at night and on weekends. Prices in micro-units of currency per kWh.
 */
export interface Tariff {
  normalPerKwh: number;
  lowPerKwh: number;
}

export const DEFAULT_TARIFF: Tariff = { normalPerKwh: 300_000, lowPerKwh: 220_000 };

export function tariffAt(utcMs: number): 1 | 2 {
  const { hour, weekend } = localParts(utcMs);
  return !weekend && hour >= 7 && hour < 23 ? 2 : 1;
}
