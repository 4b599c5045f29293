import { describe, expect, it } from 'vitest';
import { decodeP1Time, encodeP1Time } from './p1-time.js';

describe('P1 timestamps (DSMR 5.0.2 §6.4)', () => {
  it('encodes winter and summer time and decodes back to the same instant, across both switches', () => {
    const instants = ['2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:59Z', '2026-10-25T01:00:00Z', '2026-07-01T12:00:00Z', '2026-12-31T23:30:00Z'];
    expect(instants.map((i) => encodeP1Time(Date.parse(i)))).toEqual(['260329015959W', '260329030000S', '261025025959S', '261025020000W', '260701140000S', '270101003000W']);
    for (const i of instants) expect(decodeP1Time(encodeP1Time(Date.parse(i)))!.utc).toBe(i.replace('.000', ''));
  });

  it('keeps placeholders as raw text with no instant, and reads a lower-case flag', () => {
    expect(decodeP1Time('632525252525W')).toEqual({ raw: '632525252525W', utc: null });
    expect(decodeP1Time('150701190000s')).toEqual({ raw: '150701190000S', utc: '2015-07-01T17:00:00Z' });
    expect(decodeP1Time('not a time')).toBeNull();
  });

  it('reads a DSMR 2.2 time without a flag as Dutch local time', () => {
    expect(decodeP1Time('160410130000')!.utc).toBe('2016-04-10T11:00:00Z');
    expect(decodeP1Time('160110130000')!.utc).toBe('2016-01-10T12:00:00Z');
  });
});
