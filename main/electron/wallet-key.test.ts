// The Electron app's wallet key with a fake of safeStorage (Electron cannot run here): sealed on first start, the
// same key after, never in clear on disk; no keychain (or Linux's 'basic_text') gives no key at all.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type SafeStorage, sealedWalletKey } from './wallet-key.js';

/** Seals by XOR with a secret byte and a tag, as an OS keychain would seal with a key the app never sees. */
function fakeSafeStorage(o: { available?: boolean; backend?: string } = {}): SafeStorage {
  const seal = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0xa7));
  return {
    isEncryptionAvailable: () => o.available ?? true,
    encryptString: (s) => Buffer.concat([Buffer.from('v10'), seal(Buffer.from(s))]),
    decryptString: (b) => {
      if (b.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return seal(b.subarray(3)).toString();
    },
    ...(o.backend ? { getSelectedStorageBackend: () => o.backend! } : {}),
  };
}

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-safe-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'app', 'wallet-key.sealed');
}

describe('the wallet key sealed by safeStorage', () => {
  it('is made once, sealed 0600, and the same on every start; the file never holds it in clear', () => {
    const file = folder();
    const first = sealedWalletKey(fakeSafeStorage({ backend: 'gnome_libsecret' }), file);
    expect(first).toMatchObject({ state: 'ok', keyHex: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).toString('latin1')).not.toContain((first as { keyHex: string }).keyHex);
    expect(sealedWalletKey(fakeSafeStorage(), file)).toEqual(first);
  });

  it('no keychain, or only the basic_text fallback: no key, and the reason names --passphrase-file', () => {
    for (const safe of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const file = folder();
      expect(sealedWalletKey(safe, file)).toEqual({ state: 'unavailable', reason: expect.stringMatching(/--passphrase-file/) });
      expect(() => statSync(file)).toThrow();
    }
  });

  it('a sealed key the keychain cannot open is not replaced (the wallet stays locked, its key file kept)', () => {
    const file = folder();
    sealedWalletKey(fakeSafeStorage(), file);
    writeFileSync(file, 'sealed by another keychain');
    expect(sealedWalletKey(fakeSafeStorage(), file)).toMatchObject({ state: 'unavailable' });
    expect(readFileSync(file, 'utf8')).toBe('sealed by another keychain');
  });
});
