import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dlmsVectors, frameBytes, vectorKeys } from '../test/support/dlms-vectors.js';
import { fuzzRuns } from '../test/support/fuzz.js';
import { DlmsLinkReader } from './dlms-reader.js';

const vectors = dlmsVectors();
const vector = (id: string) => vectors.find((v) => v.id === id)!;
const verdicts = (r: ReturnType<DlmsLinkReader['push']>) => r.results.map((x) => (x.ok ? 'ok' : x.error));

describe('DLMS link reader', () => {
  it('drops a replayed or older frame counter, counted, and reads the next one', () => {
    const noe = vector('at-netznoe-kaifa-ma309-mbus');
    const reader = new DlmsLinkReader({ dlms: vectorKeys(noe) });
    const first = reader.push(frameBytes(noe));
    expect(verdicts(first)).toEqual(['ok']);
    expect(first.events.map((e) => e.kind)).toEqual(['reading']);
    const again = reader.push(frameBytes(noe));
    expect(verdicts(again)).toEqual(['replayed']);
    expect(again.events).toEqual([]);
    expect(reader.counters.dropped.replayed).toBe(1);
    expect(reader.counters.telegramsOk).toBe(1);
  });

  it('reads a Luxembourg telegram through the DSMR checks, byte by byte, and counts each refusal by reason', () => {
    const lux = vector('lux-smarty-nexxtlab-real-1');
    const reader = new DlmsLinkReader({ dlms: vectorKeys(lux) });
    const bytes = frameBytes(lux);
    const results = [...bytes].flatMap((b) => reader.push(Uint8Array.of(b)).results);
    expect(results).toEqual([expect.objectContaining({ ok: true, crc: 'valid', encryption: 'authenticated' })]);
    const flipped = frameBytes(vector('neg-lux-nexxtlab-ciphertext-bit-flip'));
    expect(verdicts(reader.push(flipped))).toEqual(['damaged']);
    expect(reader.counters.dropped).toMatchObject({ damaged: 1, 'wrong-key': 0, replayed: 0 });
  });

  it('carries no key byte in its results or counters', () => {
    const e450 = vector('lgz-e450-hdlc-gbt-dlms-parser-1');
    const reader = new DlmsLinkReader({ dlms: vectorKeys(e450) });
    const out = JSON.stringify([reader.push(frameBytes(e450)), reader.end(), reader.counters]);
    expect(out).toContain('"ok":true');
    for (const k of [e450.key_hex, e450.auth_key_hex!]) expect(out).not.toContain(k);
  });

  it('fuzz: no exception escapes the read loop, whatever the bytes and their chunking', () => {
    const frames = vectors.map(frameBytes);
    const stream = fc.array(fc.oneof(fc.constantFrom(...frames), fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...frames), fc.nat()).map(([f, n]) => f.slice(0, n % f.length))), { maxLength: 6 });
    fc.assert(
      fc.property(stream, fc.nat(vectors.length - 1), fc.integer({ min: 1, max: 300 }), (parts, k, chunk) => {
        const reader = new DlmsLinkReader({ dlms: vectorKeys(vectors[k]!) });
        const bytes = new Uint8Array(parts.flatMap((p) => [...p]));
        let results = 0;
        for (let at = 0; at < bytes.length; at += chunk) results += reader.push(bytes.subarray(at, at + chunk)).results.length;
        results += reader.end().results.length;
        const dropped = Object.values(reader.counters.dropped).reduce((a, b) => a + b, 0);
        expect(results).toBe(reader.counters.telegramsOk + dropped);
      }),
      { numRuns: fuzzRuns(150) },
    );
  }, 600_000);
});
