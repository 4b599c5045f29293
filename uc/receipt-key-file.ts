/**
 * The receipt key a on disk: 64 hex characters (32 bytes, big-endian, 0 < a < q) in a file only its owner can read.
 * `npm run uc -- keygen` makes it; the server refuses a key file others can read, as ssh does.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DecodeError, hexToBytes, receiptKeyFromBytes, receiptKeyFromSecret, scalarFromBytes, scalarToBytes, type ReceiptKey } from '../protocol/index.js';
import { assertOwnerOnly } from './ledger/owner-only-file.js';

/** A uniformly random receipt key (rejection sampling: no modular bias). */
export function newReceiptKey(): ReceiptKey {
  for (;;) {
    try {
      return receiptKeyFromSecret(scalarFromBytes(randomBytes(32)));
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
    }
  }
}

/** Writes a new key file with mode 0600; never overwrites one. */
export function writeReceiptKeyFile(path: string): ReceiptKey {
  const key = newReceiptKey();
  writeFileSync(path, Buffer.from(scalarToBytes(key.a)).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function readReceiptKeyFile(path: string): ReceiptKey {
  assertOwnerOnly(path, 'receipt key file');
  try {
    return receiptKeyFromBytes(hexToBytes(readFileSync(path, 'utf8').trim(), 32));
  } catch (err) {
    if (err instanceof DecodeError) throw new Error(`receipt key file ${path} does not hold a valid key (${err.code})`);
    throw err;
  }
}
