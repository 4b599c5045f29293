import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Q, receiptKeyFromSecret } from '../protocol/index.js';
import { newReceiptKey, readReceiptKeyFile, writeReceiptKeyFile } from './receipt-key-file.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'uc-key-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('receipt key file', () => {
  it('writes a fresh key with mode 0600 that reads back, and never overwrites one', () => {
    const path = join(dir, 'uc.key');
    const key = writeReceiptKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readReceiptKeyFile(path)).toEqual(key);
    expect(() => writeReceiptKeyFile(path)).toThrow(/EEXIST/);
  });

  it('refuses a key file others can read, and one that holds no valid scalar', () => {
    const path = join(dir, 'uc.key');
    writeReceiptKeyFile(path);
    chmodSync(path, 0o644);
    expect(() => readReceiptKeyFile(path)).toThrow(/readable by others/);
    writeFileSync(join(dir, 'zero.key'), '00'.repeat(32), { mode: 0o600 });
    expect(() => readReceiptKeyFile(join(dir, 'zero.key'))).toThrow(/does not hold a valid key/);
    writeFileSync(join(dir, 'q.key'), Q.toString(16).padStart(64, '0'), { mode: 0o600 });
    expect(() => readReceiptKeyFile(join(dir, 'q.key'))).toThrow(/does not hold a valid key/);
  });

  it('draws keys in 0 < a < q with matching public parts', () => {
    const k = newReceiptKey();
    expect(k.a > 0n && k.a < Q).toBe(true);
    expect(receiptKeyFromSecret(k.a)).toEqual(k);
    expect(newReceiptKey().a).not.toBe(k.a);
  });
});
