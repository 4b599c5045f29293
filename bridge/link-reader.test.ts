import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billGen, closePeriod, encodeBillLine, encodeSipsterLine, encodeTelegram, encodeTokenLine, newMeterState, p256PublicKey, tokenGen,
  type MeterState, type Token,
} from '../protocol/index.js';
import { LinkReader } from './link-reader.js';

const key = (fill: number) => new Uint8Array(32).fill(fill);
const [setKey, billKey] = [key(1), key(2)];
const keys = { setPublicKey: p256PublicKey(setKey), billPublicKey: p256PublicKey(billKey), meter: 'M1' };

function issue(n: number): { state: MeterState; tokens: Token[] } {
  let state = newMeterState('M1', 5, 1, key(7));
  const tokens: Token[] = [];
  for (let i = 0; i < n; i++) {
    const out = tokenGen(state, setKey);
    state = out.state;
    tokens.push(out.token);
  }
  return { state, tokens };
}
const telegram = (lines: string[]) => encodeTelegram('SIP5T', ['1-3:0.2.8(50)', encodeSipsterLine(5), ...lines]);
const { state, tokens } = issue(3);

describe('link reader', () => {
  it('emits each token once: carousel repeats are counted, not emitted', () => {
    const reader = new LinkReader({ keys });
    const first = reader.push(telegram(tokens.slice(0, 2).map(encodeTokenLine)));
    const again = reader.push(telegram(tokens.map(encodeTokenLine)));
    expect(first.events.filter((e) => e.kind === 'token')).toHaveLength(2);
    expect(again.events.filter((e) => e.kind === 'token').map((e) => e.kind === 'token' && e.token.index)).toEqual([2]);
    expect(reader.counters).toMatchObject({ telegramsOk: 2, tokensNew: 3, tokensRepeated: 2 });
  });

  it('drops a whole telegram whose token carries a bad signature, even with a good CRC', () => {
    const reader = new LinkReader({ keys });
    const forged = { ...tokens[1]!, sig: tokens[0]!.sig };
    const { results, events } = reader.push(telegram([encodeTokenLine(tokens[0]!), encodeTokenLine(forged)]));
    expect(results).toEqual([{ ok: false, error: 'bad-token' }]);
    expect(events).toEqual([]);
    expect(reader.counters.dropped['bad-token']).toBe(1);
  });

  it('refuses a token signed by another set key, and a point that is not on the curve', () => {
    const reader = new LinkReader({ keys: { ...keys, setPublicKey: p256PublicKey(key(3)) } });
    expect(reader.push(telegram([encodeTokenLine(tokens[0]!)])).results).toEqual([{ ok: false, error: 'bad-token' }]);
    const unkeyed = new LinkReader();
    const offCurve = { ...tokens[0]!, T: Uint8Array.from(tokens[0]!.T, (b, i) => (i === 47 ? b ^ 1 : b)) };
    expect(unkeyed.push(telegram([encodeTokenLine(offCurve)])).results[0]).toMatchObject({ ok: false });
  });

  it('checks the bill: right meter, right key; accepts it once', () => {
    const closed = closePeriod(state);
    const bill = billGen(closed, 1, billKey);
    const reader = new LinkReader({ keys });
    expect(reader.push(telegram([encodeBillLine(bill)])).events.filter((e) => e.kind === 'bill')).toHaveLength(1);
    expect(reader.push(telegram([encodeBillLine(bill)])).events.filter((e) => e.kind === 'bill')).toHaveLength(0);
    expect(reader.counters.billsRepeated).toBe(1);
    const wrongKey = billGen(closed, 1, key(4));
    expect(new LinkReader({ keys }).push(telegram([encodeBillLine(wrongKey)])).results).toEqual([{ ok: false, error: 'bad-bill' }]);
    expect(new LinkReader({ keys: { ...keys, meter: 'OTHER' } }).push(telegram([encodeBillLine(bill)])).results).toEqual([{ ok: false, error: 'bad-bill' }]);
  });

  it('requires a CRC on a DSMR 4+ line, not on a DSMR 2.2 one', () => {
    const text = Buffer.from(encodeTelegram('ISk5 2.2', ['1-0:1.8.1(00001.001*kWh)'])).toString('latin1').replace(/![0-9A-F]{4}/, '!');
    expect(new LinkReader().push(Buffer.from(text, 'latin1')).results).toEqual([{ ok: false, error: 'missing-crc' }]);
    expect(new LinkReader({ requireCrc: false }).push(Buffer.from(text, 'latin1')).results[0]).toMatchObject({ ok: true, verified: false });
  });
});

describe('link reader fuzz', () => {
  it('fuzz: no exception escapes the read loop, whatever the bytes and their chunking', () => {
    const good = telegram(tokens.map(encodeTokenLine));
    const reader = new LinkReader({ keys });
    let results = 0;
    const damaged = fc.tuple(fc.nat(good.length - 1), fc.nat(255)).map(([at, b]) => Uint8Array.from(good, (x, i) => (i === at ? b : x)));
    const piece = fc.oneof(fc.constant(good), damaged, fc.uint8Array({ maxLength: 300 }), fc.constant(new TextEncoder().encode('\r\n/')));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), fc.integer({ min: 1, max: 4096 }), (pieces, chunk) => {
        const bytes = Buffer.concat(pieces);
        for (let at = 0; at < bytes.length; at += chunk) results += reader.push(bytes.subarray(at, at + chunk)).results.length;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
    const c = reader.counters;
    expect(c.telegramsOk + Object.values(c.dropped).reduce((a, b) => a + b, 0)).toBe(results);
    expect(c.tokensNew).toBeLessThanOrEqual(tokens.length); // nothing but the meter's own tokens was ever accepted
  });
});
