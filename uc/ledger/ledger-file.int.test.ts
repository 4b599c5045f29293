// The UC's SQLite ledger holds its e-cash: created 0600, refused at start when others can read it.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from './index.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the ledger file', () => {
  it('is created 0600 with its WAL, and refused once others can read it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'uc-ledger-file-'));
    const path = join(dir, 'uc.sqlite');
    const ledger = await openLedger({ sqlite: path });
    await ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33) }); // writes: the WAL exists now
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    await ledger.close();
    chmodSync(path, 0o644);
    await expect(openLedger({ sqlite: path })).rejects.toThrow(/ledger file .* is readable by others \(mode 644\): chmod 600 it/);
  });
});
