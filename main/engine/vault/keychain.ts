/**
 * The wallet key kept by the OS keychain for headless and browser mode (issue 14 §1): the Secret Service on Linux
 * (gnome-keyring, KWallet), the Keychain on macOS, the Credential Manager on Windows, through `@napi-rs/keyring`
 * (MIT; prebuilt per platform, shipped from the npm registry). One entry per data folder (service "Sipster Home
 * wallet", account: the folder's real path), holding the 32-byte key in hex. A key is made only for a wallet that
 * has none yet (a new one, or one in clear about to be encrypted): an encrypted wallet whose key the keychain does
 * not hold stays locked, and an entry that is not a key is never replaced.
 * @module
 */
import { Entry } from '@napi-rs/keyring';
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';

export const KEYCHAIN_SERVICE = 'Sipster Home wallet';
const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * The key the keychain holds for the data folder `dir`, made and stored there when `mayCreate`; null when there is
 * no keychain (no D-Bus session, no Secret Service), no entry, or an entry that is not a key.
 */
export function keychainKey(dir: string, mayCreate: boolean): Buffer | null {
  try {
    const entry = new Entry(KEYCHAIN_SERVICE, realpathSync(dir));
    const hex = entry.getPassword();
    if (hex !== null && hex !== undefined) return HEX_KEY.test(hex) ? Buffer.from(hex, 'hex') : null;
    if (!mayCreate) return null;
    const key = randomBytes(32);
    entry.setPassword(key.toString('hex'));
    // Read back: a key the keychain did not keep would lock the wallet at the next start.
    return entry.getPassword() === key.toString('hex') ? key : null;
  } catch {
    return null; // no keychain here: the wallet needs a passphrase
  }
}
