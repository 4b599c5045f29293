import { describe, expect, it } from 'vitest';
import { DSMR_DIR } from '../../test/support/dsmr-testdata.js';
import { readFileSync } from 'node:fs';
import { crc16, crcDigits } from './crc16.js';

describe('CRC-16/ARC (DSMR 5.0.2 §6.2)', () => {
  it('reproduces the check values athombv/node-dsmr-parser asserts', () => {
    const file = JSON.parse(readFileSync(`${DSMR_DIR}/crc16-arc-vectors.json`, 'utf8')) as { vectors: { input_ascii: string; crc: string }[] };
    const arc = file.vectors.filter((v) => v.input_ascii !== undefined && /^0x[0-9A-F]{4}$/i.test(v.crc));
    expect(arc.length).toBeGreaterThanOrEqual(5);
    for (const v of arc) expect(crc16(new TextEncoder().encode(v.input_ascii)), v.input_ascii).toBe(Number(v.crc));
  });

  it('checks "123456789" as 0xBB3D and prints 4 upper-case digits', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0xbb3d);
    expect(crcDigits(0xb9f)).toBe('0B9F');
  });
});
