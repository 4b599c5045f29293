/**
 * The wallet's key in the Electron app (issue 14 §1): 32 random bytes made on first start and kept only sealed by
 * Electron's safeStorage (macOS Keychain, Windows DPAPI, libsecret or kwallet on Linux), as Signal Desktop keeps its
 * database key. The main process unseals it and hands it to the engine process in the start message (never argv).
 * Where safeStorage has no real backend (Linux 'basic_text': a fixed password) there is no key: the engine process
 * holds the engine locked and the window asks for the passphrase (main/host/locked.ts), unless --passphrase-file is given.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What this needs of Electron's `safeStorage` (fakes in tests: Electron cannot run here). */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no OS keychain behind it. */
  getSelectedStorageBackend?(): string;
}

export type SealedKey =
  | { state: 'ok'; keyHex: string }
  /** No OS keychain behind safeStorage, or the sealed key cannot be opened: said in the window, nothing overwritten. */
  | { state: 'unavailable'; reason: string };

const HEX_KEY = /^[0-9a-f]{64}$/;

/** The wallet key sealed in `file`, made and sealed there on first use. */
export function sealedWalletKey(safe: SafeStorage, file: string): SealedKey {
  if (!safe.isEncryptionAvailable() || safe.getSelectedStorageBackend?.() === 'basic_text')
    return { state: 'unavailable', reason: 'this system offers no keychain to keep the wallet key: the window asks for its passphrase (or start with --passphrase-file FILE)' };
  if (existsSync(file)) {
    let keyHex: string;
    try {
      keyHex = safe.decryptString(readFileSync(file));
    } catch {
      return { state: 'unavailable', reason: 'the system keychain cannot open the wallet key (another user, or the keychain was reset): start with --passphrase-file FILE if the wallet has one, or restore from your seed phrase' };
    }
    if (!HEX_KEY.test(keyHex)) return { state: 'unavailable', reason: 'the sealed wallet key is damaged: restore from your seed phrase' };
    return { state: 'ok', keyHex };
  }
  const keyHex = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.new`, safe.encryptString(keyHex), { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return { state: 'ok', keyHex };
}
