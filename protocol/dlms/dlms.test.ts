import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeGcm } from '../../bridge/index.js';
import { dlmsVectors, expectDlmsVerdict, frameBytes, vectorKeys, type DlmsVector } from '../../test/support/dlms-vectors.js';
import type { DecodedJson } from '../../test/support/dsmr-testdata.js';
import { fuzzRuns } from '../../test/support/fuzz.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
import { decodeTelegram } from '../p1/telegram.js';
import { TelegramError } from '../p1/errors.js';
import { openApdu } from './apdu.js';
import { readData } from './axdr.js';
import { DlmsError } from './errors.js';
import { crc16x25, DlmsFramer, sniffFraming, type DlmsFramerEvent } from './framer.js';
import { decodeDataNotification } from './notification.js';

const vectors = dlmsVectors();
const frameAll = (bytes: Uint8Array, framer = new DlmsFramer()): DlmsFramerEvent[] => [...framer.push(bytes), ...framer.end()];
const apdus = (events: DlmsFramerEvent[]) => events.flatMap((e) => (e.kind === 'apdu' ? [e.apdu] : []));

/** protocol/ alone: framer, then open, then the telegram or the data-notification decoder. */
function decodeVector(v: DlmsVector): DecodedJson[] {
  return frameAll(frameBytes(v)).flatMap((e): DecodedJson[] => {
    if (e.kind === 'garbage') return [];
    if (e.kind === 'dropped') return [{ ok: false, error: e.code, readings: null }];
    try {
      const { plaintext } = openApdu(e.apdu, vectorKeys(v), nodeGcm);
      if (plaintext[0] === 0x2f) return [{ ok: true, readings: decodeTelegram(plaintext, { requireCrc: true }).readings }];
      return [{ ok: true, readings: decodeDataNotification(plaintext, 'DLMS') }];
    } catch (err) {
      if (err instanceof DlmsError || err instanceof TelegramError) return [{ ok: false, error: err.code, readings: null }];
      throw err;
    }
  });
}

describe('encrypted P1 and DLMS push frames (testdata/dsmr/encrypted)', () => {
  it('reads every vector to the values its source asserts, and refuses every negative one for the right reason', () => {
    expect(vectors).toHaveLength(11);
    for (const v of vectors) expectDlmsVerdict(v, decodeVector(v));
  });

  it('finds the APDU the source gives inside each M-Bus and HDLC framing, and decrypts it to the exact plaintext', () => {
    for (const v of vectors.filter((x) => x.plaintext_sha256)) {
      const [apdu, ...rest] = apdus(frameAll(frameBytes(v)));
      expect(rest, v.id).toEqual([]);
      expect(bytesToHex(apdu!), v.id).toBe(v.apdu_hex ?? v.frame_hex);
      const { plaintext, authenticated } = openApdu(apdu!, vectorKeys(v), nodeGcm);
      expect(createHash('sha256').update(plaintext).digest('hex'), v.id).toBe(v.plaintext_sha256);
      expect(authenticated, v.id).toBe(v.tag_verifies === true);
    }
  });

  it('tells a wrong authentication key from a wrong encryption key', () => {
    const lux = vectors.find((v) => v.id === 'lux-smarty-nexxtlab-real-1')!;
    const apdu = frameBytes(lux);
    expect(() => openApdu(apdu, { key: hexToBytes(lux.key_hex), authKey: new Uint8Array(16) }, nodeGcm)).toThrow(expect.objectContaining({ code: 'wrong-auth-key' }));
    expect(() => openApdu(apdu, { key: new Uint8Array(16) }, nodeGcm)).toThrow(expect.objectContaining({ code: 'wrong-key' }));
    expect(openApdu(apdu, { key: hexToBytes(lux.key_hex) }, nodeGcm).authenticated).toBe(true); // Luxembourg's published GAK by default
  });

  it('drops a damaged M-Bus segment or HDLC frame as bad-frame, and an APDU that loses a segment or block as truncated', () => {
    const noe = frameBytes(vectors.find((v) => v.id === 'at-netznoe-kaifa-ma309-mbus')!);
    const hit = noe.slice();
    hit[100]! ^= 0x40;
    expect(frameAll(hit).map((e) => e.kind === 'dropped' ? e.code : e.kind)).toEqual(['bad-frame', 'truncated']);
    const gbt = frameBytes(vectors.find((v) => v.id === 'lgz-e450-hdlc-gbt-dlms-parser-1')!);
    const second = gbt.indexOf(0x7e, 2) + 1; // frames: [0, second) [second, third) …
    const third = gbt.indexOf(0x7e, second + 1) + 1;
    const skipped = new Uint8Array([...gbt.subarray(0, second), ...gbt.subarray(third)]);
    expect(frameAll(skipped).map((e) => (e.kind === 'dropped' ? e.code : e.kind))).toEqual(['truncated']);
    const bad = gbt.slice();
    bad[40]! ^= 1;
    expect(frameAll(bad).map((e) => (e.kind === 'dropped' ? e.code : e.kind))).toEqual(['bad-frame', 'truncated', 'garbage']); // the third block: rest of a lost APDU
  });

  it('finds the same APDUs whatever the chunking, with garbage between frames', () => {
    const stream = new Uint8Array([0x00, 0x68, ...vectors.flatMap((v) => [...frameBytes(v), 0x55])]);
    const whole = frameAll(stream);
    expect(apdus(whole)).toHaveLength(vectors.length);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 20 }), (cuts) => {
        const framer = new DlmsFramer();
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const events = points.slice(1).flatMap((end, k) => framer.push(stream.subarray(points[k]!, end)));
        expect(apdus([...events, ...framer.end()])).toEqual(apdus(whole));
      }),
      { numRuns: 50 },
    );
  });

  it('tells DSMR text from DLMS frames, and checks HDLC with CRC-16/X.25', () => {
    expect(crc16x25(new TextEncoder().encode('123456789'))).toBe(0x906e);
    expect(sniffFraming(new TextEncoder().encode('xx/ISK5\\2M550T-1012\r\n\r\n1-3:0.2.8(50)\r\n!'))).toBe('dsmr');
    for (const v of vectors) expect(sniffFraming(frameBytes(v)), v.id).toBe('dlms');
    expect(sniffFraming(new Uint8Array([0xdb, 0x08, 1, 2]))).toBeNull();
  });

  it('refuses A-XDR that does not parse to the last byte', () => {
    const noe = hexToBytes(vectors.find((v) => v.id === 'at-netznoe-kaifa-ma309-mbus')!.plaintext_hex!);
    expect(() => decodeDataNotification(noe.subarray(0, -1), 'x')).toThrow(expect.objectContaining({ code: 'bad-data' }));
    expect(() => decodeDataNotification(new Uint8Array([...noe, 0]), 'x')).toThrow(expect.objectContaining({ code: 'bad-data' }));
    const deep = new Uint8Array(40).fill(0x02).map((x, k) => (k % 2 ? 1 : x));
    expect(() => readData(deep, 0)).toThrow(expect.objectContaining({ code: 'bad-data' }));
  });
});

/** Random bytes, or a vector's frame with bit flips, truncation, extension, or a rewritten byte. */
const mutatedFrame = fc.constantFrom(...vectors.map(frameBytes)).chain((valid) =>
  fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 300 }),
    fc.array(fc.nat(valid.length * 8 - 1), { minLength: 1, maxLength: 4 }).map((bits) => {
      const b = valid.slice();
      for (const bit of bits) b[bit >> 3]! ^= 1 << (bit & 7);
      return b;
    }),
    fc.nat(valid.length).map((n) => valid.slice(0, n)),
    fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([at, x]) => {
      const b = valid.slice();
      b[at] = x;
      return b;
    }),
  ),
);

describe('DLMS decoders under fuzzing', () => {
  it('fuzz: random and mutated frames raise only DlmsError and end', () => {
    const keys = new Map(vectors.map((v) => [v.frame_hex, vectorKeys(v)]));
    const anyKeys = [...keys.values()];
    let runs = 0;
    fc.assert(
      fc.property(mutatedFrame, fc.nat(anyKeys.length - 1), fc.nat(20), (bytes, k, chunk) => {
        runs++;
        const framer = new DlmsFramer();
        const events: DlmsFramerEvent[] = [];
        for (let at = 0; at < bytes.length; at += chunk + 1) events.push(...framer.push(bytes.subarray(at, at + chunk + 1)));
        events.push(...framer.end());
        for (const apdu of apdus(events)) {
          try {
            const { plaintext } = openApdu(apdu, anyKeys[k]!, nodeGcm);
            if (plaintext[0] === 0x0f) decodeDataNotification(plaintext, 'x');
          } catch (e) {
            expect(e).toBeInstanceOf(DlmsError);
          }
        }
        for (const p of [bytes, new Uint8Array([0x0f, 0, 0, 0, 1, 0, ...bytes])]) {
          try {
            decodeDataNotification(p, 'x');
          } catch (e) {
            expect(e).toBeInstanceOf(DlmsError);
          }
        }
      }),
      { numRuns: fuzzRuns(400) },
    );
    expect(runs).toBeGreaterThanOrEqual(fuzzRuns(400));
  }, 600_000);
});

describe('data-notification values', () => {
  it('scales integers and floats by their scaler-unit, and drops a float too large to write', () => {
    const obis = (c: number, d: number) => [0x09, 6, 1, 0, c, d, 0, 0xff];
    const su = (scaler: number, unit: number) => [0x02, 2, 0x0f, scaler & 0xff, 0x16, unit];
    const f32 = (x: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setFloat32(0, x); return [0x17, ...b]; };
    const f64 = (x: number) => { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, x); return [0x18, ...b]; };
    const body = [0x02, 10, ...obis(1, 8), 0x06, 0, 0, 0x30, 0x39, ...su(-2, 30), ...obis(32, 7), ...f32(230.5), ...su(0, 35),
      ...obis(2, 8), ...f64(1e308), ...su(0, 30), 0x11, 7];
    const r = decodeDataNotification(new Uint8Array([0x0f, 0, 0, 0, 1, 0, ...body]), 'T');
    expect(r.importKwh.total).toBeCloseTo(0.12345, 9); // 12345 × 10⁻² Wh
    expect(r.voltageV.l1).toBe(230.5);
    expect(r.exportKwh.total).toBeUndefined();
    expect(r.objects).toBe(4); // three named values and one without an OBIS code
  });
});
