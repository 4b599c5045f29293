import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { KEY_FILE, describeFixes, keyMatches, rememberKey, secureDataFolder, walletKey } from './index.js';

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-vault-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the data folder', () => {
  it('is created 0700', () => {
    const dir = join(folder(), 'new', 'data');
    expect(secureDataFolder(dir).fixed).toEqual([]);
    expect(mode(dir)).toBe(0o700);
  });

  it('takes group and other rights off every folder and file, says so once, and keeps the owner\'s own', () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'wallet.sqlite'), 'x', { mode: 0o644 });
    writeFileSync(join(dir, 'wallet.sqlite-wal'), 'x', { mode: 0o660 });
    mkdirSync(join(dir, 'tor'), { mode: 0o755 });
    writeFileSync(join(dir, 'tor', 'notice.log'), 'x', { mode: 0o604 });
    writeFileSync(join(dir, 'tor', 'state'), 'x', { mode: 0o400 });
    const fixes = secureDataFolder(dir);
    expect(fixes.fixed.sort()).toEqual(['.', 'tor', 'tor/notice.log', 'wallet.sqlite', 'wallet.sqlite-wal']);
    expect(describeFixes(fixes)).toMatch(/^the data folder was readable by other users: made private \(/);
    expect([dir, join(dir, 'tor')].map(mode)).toEqual([0o700, 0o700]);
    expect(['wallet.sqlite', 'wallet.sqlite-wal', 'tor/notice.log'].map((f) => mode(join(dir, f)))).toEqual([0o600, 0o600, 0o600]);
    expect(mode(join(dir, 'tor', 'state'))).toBe(0o400);
    const again = secureDataFolder(dir);
    expect(again.fixed).toEqual([]);
    expect(describeFixes(again)).toBeNull();
  });
});

describe('the wallet key', () => {
  it('without an unlock the wallet is locked, and the message says how to unlock', () => {
    expect(() => walletKey(folder(), undefined)).toThrow(expect.objectContaining({ code: 'wallet-locked', message: expect.stringMatching(/--passphrase-file/) }));
  });

  it('a passphrase gives the same key each time through scrypt with a salt kept beside (0600), and no key in the file', () => {
    const dir = folder();
    const key = walletKey(dir, { kind: 'passphrase', passphrase: 'correct horse' });
    expect(key).toHaveLength(32);
    expect(mode(join(dir, KEY_FILE))).toBe(0o600);
    expect(walletKey(dir, { kind: 'passphrase', passphrase: 'correct horse' }).equals(key)).toBe(true);
    expect(walletKey(dir, { kind: 'passphrase', passphrase: 'correct horsf' }).equals(key)).toBe(false);
    rememberKey(dir, key);
    const kept = readFileSync(join(dir, KEY_FILE), 'utf8');
    expect(kept).not.toContain(key.toString('hex'));
    expect(keyMatches(dir, key)).toBe(true);
    expect(keyMatches(dir, walletKey(dir, { kind: 'passphrase', passphrase: 'wrong' }))).toBe(false);
    // Another folder, another salt: the same passphrase makes another key.
    expect(walletKey(folder(), { kind: 'passphrase', passphrase: 'correct horse' }).equals(key)).toBe(false);
  });

  it('a damaged key file locks the wallet rather than making a new salt', () => {
    const dir = folder();
    writeFileSync(join(dir, KEY_FILE), '{"v":1,"salt":"nothex"}');
    expect(() => walletKey(dir, { kind: 'passphrase', passphrase: 'p' })).toThrow(expect.objectContaining({ code: 'wallet-locked' }));
  });

  it('a key from the OS must be 32 bytes', () => {
    expect(walletKey(folder(), { kind: 'key', key: new Uint8Array(32).fill(1) })).toHaveLength(32);
    expect(() => walletKey(folder(), { kind: 'key', key: new Uint8Array(16) })).toThrow(expect.objectContaining({ code: 'bad-request' }));
  });
});
