import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dsmrBytes, dsmrIndex, type IndexEntry } from '../../test/support/dsmr-testdata.js';
import { decodeBytes, expectVerdict } from '../../test/support/dsmr-verdicts.js';
import { TelegramError } from './errors.js';
import { TelegramFramer, type FramerEvent } from './framer.js';
import { encodeBillLine, encodeSipsterLine, encodeTokenLine } from './sipster-lines.js';
import { decodeTelegram, encodeTelegram } from './telegram.js';

const frameAll = (bytes: Uint8Array): FramerEvent[] => {
  const framer = new TelegramFramer();
  return [...framer.push(bytes), ...framer.end()];
};
const frames = (events: FramerEvent[]) => events.flatMap((e) => (e.kind === 'frame' ? [e.bytes] : []));

const index = dsmrIndex();
const kind = (e: IndexEntry) => (e.file.includes('/streams/') ? 'stream' : e.file.includes('/corrupted/') ? 'corrupted' : e.file.includes('/athombv/') ? 'athombv' : 'valid');

describe('real telegrams (testdata/dsmr)', () => {
  it('decodes every valid telegram to the values its source project asserts', () => {
    const valid = index.filter((e) => kind(e) === 'valid');
    expect(valid.length).toBeGreaterThanOrEqual(25);
    for (const entry of valid) expectVerdict(entry, decodeBytes(dsmrBytes(entry.file)));
  });

  it('rejects every corrupted telegram with the right reason', () => {
    const corrupted = index.filter((e) => kind(e) === 'corrupted');
    expect(corrupted).toHaveLength(8);
    for (const entry of corrupted) expectVerdict(entry, decodeBytes(dsmrBytes(entry.file)));
  });

  it('agrees with athombv/node-dsmr-parser: its CRC verdicts, and its values where the CRC holds', () => {
    const athombv = index.filter((e) => kind(e) === 'athombv');
    expect(athombv).toHaveLength(23);
    for (const entry of athombv) expectVerdict(entry, decodeBytes(dsmrBytes(entry.file)));
  });

  it('cuts every multi-telegram stream into the right telegrams', () => {
    const streams = index.filter((e) => kind(e) === 'stream');
    expect(streams).toHaveLength(7);
    for (const entry of streams) expectVerdict(entry, decodeBytes(dsmrBytes(entry.file)));
  });
});

describe('framer', () => {
  it('finds the same telegrams whatever the chunking', () => {
    const stream = dsmrBytes('dsmr/streams/dp_stream_v22-v42-v22.bin');
    const whole = frames(frameAll(stream));
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 12 }), (cuts) => {
        const framer = new TelegramFramer();
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const events = points.slice(1).flatMap((end, k) => framer.push(stream.subarray(points[k]!, end)));
        expect(frames([...events, ...framer.end()])).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });

  it('drops a frame cut short by a new header, and one that never ends', () => {
    const framer = new TelegramFramer(64);
    const events = framer.push(new TextEncoder().encode(`xx/AB5 cut\r\n1-0:1.8.1(1\r\n/AB5 next\r\n${'1-0:1.8.1(000001.000*kWh)\r\n'.repeat(4)}`));
    expect(events).toEqual([
      { kind: 'garbage', bytes: 2 },
      { kind: 'dropped', code: 'truncated', bytes: 23 },
      { kind: 'dropped', code: 'too-long', bytes: 119 },
    ]);
  });
});

const token = { set: 7, period: 3, index: 41, T: new Uint8Array(48).fill(0xa5), sig: new Uint8Array(64).fill(0x5a) };
const bill = { bill: { meter: 'meter-1', period: 3, fault: false, R: new Uint8Array(48).fill(0x11), sig: new Uint8Array(64).fill(0x22) }, mask: 12345n, count: 42 };

describe('Sipster lines (docs/serial-protocol.md)', () => {
  it('round-trip through a telegram byte for byte', () => {
    const bytes = encodeTelegram('SIP5SIPSTER-1', ['1-3:0.2.8(50)', encodeSipsterLine(7), encodeTokenLine(token), encodeBillLine(bill)]);
    const telegram = decodeTelegram(bytes);
    expect(telegram.sipster).toEqual({ version: 1, set: 7 });
    expect(telegram.tokens).toEqual([token]);
    expect(telegram.bill).toEqual(bill);
    expect(telegram.readings.version).toBe('50');
  });

  it('refuse non-canonical fields, and token lines without the version line', () => {
    const line = encodeTokenLine(token);
    for (const bad of [line.replace('(3)', '(03)'), line.replace(/\(a5/, '(A5'), line.slice(0, -3) + ')', `${line}(1)`]) {
      expect(() => decodeTelegram(encodeTelegram('SIP5X', [encodeSipsterLine(7), bad])), bad.slice(0, 20)).toThrow(
        expect.objectContaining({ code: 'bad-sipster-line' }),
      );
    }
    expect(() => decodeTelegram(encodeTelegram('SIP5X', [line]))).toThrow(expect.objectContaining({ code: 'bad-sipster-line' }));
  });

  it('a Sipster telegram without its CRC is refused', () => {
    const text = Buffer.from(encodeTelegram('SIP5X', [encodeSipsterLine(7), encodeTokenLine(token)])).toString('latin1');
    expect(() => decodeTelegram(Buffer.from(text.replace(/![0-9A-F]{4}/, '!'), 'latin1'))).toThrow(expect.objectContaining({ code: 'missing-crc' }));
  });
});

describe('parser fuzz', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 300);
  const seedTelegrams = [
    dsmrBytes('dsmr/telegrams/dp_nl-v5.0-iskra-mt382.txt'),
    dsmrBytes('dsmr/telegrams/dp_nl-v2.2-iskra-mt382.txt'),
    encodeTelegram('SIP5X', [encodeSipsterLine(7), encodeTokenLine(token), encodeBillLine(bill)]),
  ];
  const outcomes = { decoded: 0, refused: 0 };
  const onlyTelegramErrors = (bytes: Uint8Array) => {
    for (const f of frames(frameAll(bytes))) {
      try {
        decodeTelegram(f);
        outcomes.decoded++;
      } catch (e) {
        if (!(e instanceof TelegramError)) throw e;
        outcomes.refused++;
      }
    }
  };

  it('fuzz: random bytes and damaged telegrams never throw anything but a TelegramError', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...seedTelegrams), fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('flip', 'drop', 'insert')), { minLength: 1, maxLength: 6 }))
      .map(([base, edits]) => {
        const bytes = [...base];
        for (const [at, value, kind] of edits) {
          const i = at % bytes.length;
          if (kind === 'flip') bytes[i] = bytes[i]! ^ (1 << (value % 8));
          else if (kind === 'drop') bytes.splice(i, 1);
          else bytes.splice(i, 0, value);
        }
        return Uint8Array.from(bytes);
      });
    const noise = fc.uint8Array({ maxLength: 2048 }).map((b) => Uint8Array.from([0x2f, ...b, 0x0d, 0x0a, 0x21, 0x0d, 0x0a]));
    fc.assert(fc.property(fc.oneof(mutated, noise, fc.uint8Array({ maxLength: 512 })), onlyTelegramErrors), { numRuns: runs });
    expect(outcomes.refused).toBeGreaterThan(0); // the inputs do reach the decoder, and it refuses most
    expect(outcomes.decoded + outcomes.refused).toBeGreaterThan(runs / 10);
  });

  it('fuzz: a damaged Sipster telegram is never accepted with changed content', () => {
    const base = seedTelegrams[2]!;
    const original = decodeTelegram(base);
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const bytes = base.slice();
        bytes[at] = bytes[at]! ^ mask;
        for (const f of frames(frameAll(bytes))) {
          try {
            const t = decodeTelegram(f, { requireCrc: true });
            expect(t.tokens).toEqual(original.tokens); // only bytes outside the CRC's scope may change
            expect(t.bill).toEqual(original.bill);
          } catch (e) {
            if (!(e instanceof TelegramError)) throw e;
            refused++;
          }
        }
      }),
      { numRuns: runs },
    );
    expect(refused).toBeGreaterThan(runs / 2); // nearly every flip lands inside the CRC's scope
  });
});
