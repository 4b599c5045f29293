import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { householdReadings } from '../../../test/support/household-readings.js';
import { FIELDS, type Sample, decodeSample, encodeSample, mayDelta, sampleOf } from './sample.js';

const value = fc.option(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { nil: null, freq: 4 });
const samples = fc.array(fc.tuple(fc.integer({ min: 1, max: 90 }), fc.array(value, { minLength: FIELDS.length, maxLength: FIELDS.length })), { minLength: 1, maxLength: 60 });

describe('history sample encoding', () => {
  it('decodes what it encodes, keyframes and differences alike, values missing or not', () => {
    fc.assert(fc.property(samples, (steps) => {
      let t = 1_767_225_600;
      let prev: Sample | null = null;
      let decoded: Sample | null = null;
      for (const [dt, values] of steps) {
        t += dt;
        const s = { t, values };
        const bytes = encodeSample(s, mayDelta(prev, t) ? prev : null);
        decoded = decodeSample(t, bytes, decoded);
        expect(decoded).toEqual(s);
        prev = s;
      }
    }));
  });

  it('keeps every value of a DSMR 5 telegram in small integers, about 20 bytes once the minute has its keyframe', () => {
    const r = householdReadings(1_767_225_600, { import: [12_345_678, 9_876_543], export: [1_234, 0], tariff: 2, powerW: 1_234, phasesW: [600, 400, 234], voltageDv: [2301, 2298, 2310] });
    const s = sampleOf(r, 1_767_225_600);
    expect(s.values).toEqual([12_345_678, 9_876_543, null, null, null, 1_234, 0, null, null, null, 2, 1_234, 0, 600, 400, 234, 0, 0, 0, 2301, 2298, 2310]);
    const next = sampleOf(householdReadings(1_767_225_601, { import: [12_345_679, 9_876_543], export: [1_234, 0], tariff: 2, powerW: 1_300, phasesW: [650, 400, 250], voltageDv: [2300, 2299, 2311] }), 1_767_225_601);
    expect(encodeSample(next, s).length).toBeLessThanOrEqual(20);
    expect(encodeSample(s, null).length).toBeGreaterThan(30);
  });

  it('refuses a difference with nothing before it, and a row cut short', () => {
    const s = sampleOf(householdReadings(60, { import: [1, 2] }), 60);
    expect(() => decodeSample(61, encodeSample(s, s), null)).toThrow(/nothing before it/);
    expect(() => decodeSample(60, encodeSample(s, null).subarray(0, 3), null)).toThrow(/cut short/);
  });
});
