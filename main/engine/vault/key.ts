/**
 * The wallet's key (issue 14 §1): 32 random-looking bytes that SQLCipher takes as a raw key, never written in clear.
 * It comes from a passphrase through scrypt (node:crypto), from the Electron main process (safeStorage: the OS
 * keychain, DPAPI or libsecret keeps it), or, given neither, from the OS keychain directly (keychain.ts). Beside the wallet lies `wallet-key.json`: the scrypt salt and a check
 * value, HMAC(key, label), so that a wrong key is told apart from a damaged file without trying to decrypt anything:
 * a wrong key locks the wallet ('wallet-locked'), only a file that the right key cannot open is damaged.
 * @module
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors.js';
import { keychainKey } from './keychain.js';
import { FILE_MODE } from './permissions.js';
import { isClearSqlite } from './sqlite.js';

/** How the engine unlocks the wallet; without one it stays 'wallet-locked'. */
export type WalletUnlock =
  /** A passphrase (the CLI's --passphrase-file, the window's prompt): the key is scrypt(passphrase, salt). */
  | { kind: 'passphrase'; passphrase: string }
  /** The key itself, 32 bytes, kept by the OS (the Electron app's safeStorage). */
  | { kind: 'key'; key: Uint8Array };

/** A 32-byte key. */
export type WalletKey = Buffer;

export const KEY_FILE = 'wallet-key.json';
const KEY_BYTES = 32;
/** scrypt's cost: 2^15 × 8 × 128 B = 32 MiB and about 0.1 s here, once per start (RFC 7914 §2's interactive range). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 2 ** 20 } as const;
const CHECK_LABEL = 'sipster-home wallet key check v1';

interface KeyFile {
  v: 1;
  /** scrypt's salt, hex, when the key comes from a passphrase. */
  salt?: string;
  /** HMAC-SHA256(key, CHECK_LABEL), hex: says whether a key is this wallet's and nothing about the key. */
  check?: string;
}

export const HOW_TO_UNLOCK =
  'the wallet is locked: start with --passphrase-file FILE (a file only you can read, mode 0600, holding your passphrase), ' +
  'or in the desktop session whose keychain holds its key (the desktop app keeps it there, and so does the engine where the system has one)';

function readKeyFile(dir: string): KeyFile {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) return { v: 1 };
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    if (o.v === 1 && (o.salt === undefined || /^[0-9a-f]{32}$/.test(o.salt)) && (o.check === undefined || /^[0-9a-f]{64}$/.test(o.check))) return o;
  } catch { /* below */ }
  throw new EngineError('wallet-locked', `${KEY_FILE} in the data folder is damaged: the wallet cannot be unlocked without it; restore it from a backup, or restore the wallet from your seed phrase in a new folder`);
}

function writeKeyFile(dir: string, o: KeyFile): void {
  const file = join(dir, KEY_FILE);
  writeFileSync(`${file}.new`, JSON.stringify(o), { mode: FILE_MODE });
  renameSync(`${file}.new`, file); // atomic: a crash leaves the old file or the new one
}

const checkOf = (key: WalletKey): string => createHmac('sha256', key).update(CHECK_LABEL).digest('hex');

/**
 * The unlock's key for the wallet in `dir` (a passphrase's salt is made on first use); without one, the key the OS
 * keychain holds for this folder, made there for a wallet that has no key yet.
 */
export function walletKey(dir: string, unlock: WalletUnlock | undefined): WalletKey {
  if (!unlock) {
    const wallet = join(dir, 'wallet.sqlite');
    const keyless = (!existsSync(wallet) || isClearSqlite(wallet)) && readKeyFile(dir).check === undefined;
    const key = keychainKey(dir, keyless);
    if (!key) throw new EngineError('wallet-locked', HOW_TO_UNLOCK);
    return key;
  }
  if (unlock.kind === 'key') {
    if (unlock.key.length !== KEY_BYTES) throw new EngineError('bad-request', `a wallet key is ${KEY_BYTES} bytes`);
    return Buffer.from(unlock.key);
  }
  if (unlock.passphrase.length === 0) throw new EngineError('wallet-locked', 'the passphrase is empty');
  const kf = readKeyFile(dir);
  if (kf.salt === undefined) writeKeyFile(dir, (kf.salt = randomBytes(16).toString('hex'), kf));
  return scryptSync(unlock.passphrase.normalize('NFKC'), Buffer.from(kf.salt, 'hex'), KEY_BYTES, SCRYPT);
}

/**
 * Whether `key` is the wallet's: true or false by the check value, null when no check is kept yet (a wallet made
 * before encryption, or a new one).
 */
export function keyMatches(dir: string, key: WalletKey): boolean | null {
  const { check } = readKeyFile(dir);
  if (check === undefined) return null;
  return timingSafeEqual(Buffer.from(check, 'hex'), Buffer.from(checkOf(key), 'hex'));
}

/** Keeps the check value of `key`, once the wallet has opened with it. */
export function rememberKey(dir: string, key: WalletKey): void {
  const kf = readKeyFile(dir);
  if (kf.check === checkOf(key)) return;
  writeKeyFile(dir, { ...kf, check: checkOf(key) });
}
