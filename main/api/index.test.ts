import { describe, expect, expectTypeOf, it } from 'vitest';
import { CHANNEL, ENGINE_METHODS, ENGINE_METHODS_COMPLETE, type EngineApi, type EngineEvent, type Reply } from './index.js';

describe('engine API contract', () => {
  it('lists every method once, each on its own channel', () => {
    expect(ENGINE_METHODS_COMPLETE).toBe(true);
    expect(new Set(ENGINE_METHODS).size).toBe(ENGINE_METHODS.length);
    expect(new Set(ENGINE_METHODS.map(CHANNEL)).size).toBe(ENGINE_METHODS.length);
    expectTypeOf<(typeof ENGINE_METHODS)[number]>().toEqualTypeOf<keyof EngineApi>();
  });

  it('events and replies are plain JSON (survive a round trip unchanged)', () => {
    const samples: (EngineEvent | Reply<unknown>)[] = [
      { kind: 'period-settled', period: 7, answer: 'settled' },
      { kind: 'alarm', code: 'receipt-invalid', message: 'the utility answered with a receipt that does not verify' },
      { ok: false, error: { code: 'proxy-refused', message: 'no proxy' } },
    ];
    for (const s of samples) expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});
