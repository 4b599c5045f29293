/**
 * `p1 decode --key`: the keys of an encrypted P1 or DLMS push meter, and wire bytes written as hex text.
 * A key is 32 hex digits; it may come from the environment (P1_KEY, P1_AUTH_KEY) instead of the command
 * line, which other users of the computer can read. Keys are never printed, not even in an error.
 */
import { hexToBytes, type DlmsKeys } from '../protocol/index.js';

const KEY = /^[0-9a-fA-F]{32}$/;

function key(text: string, name: string): Uint8Array {
  if (!KEY.test(text)) throw new Error(`${name} must be 32 hex digits (16 bytes)`);
  return hexToBytes(text);
}

/** `--auth-key none`: the tag is checked with an empty AAD; no --auth-key: Luxembourg's published key. */
export function dlmsKeysFrom(values: { key?: string; 'auth-key'?: string }, env = process.env): DlmsKeys | undefined {
  const guek = values.key ?? env.P1_KEY;
  const gak = values['auth-key'] ?? env.P1_AUTH_KEY;
  if (guek === undefined) {
    if (gak !== undefined) throw new Error('--auth-key needs --key');
    return undefined;
  }
  const keys: DlmsKeys = { key: key(guek, '--key') };
  if (gak !== undefined) keys.authKey = gak === 'none' ? null : key(gak, '--auth-key');
  return keys;
}

/** `--hex`: the input is the wire bytes as hex text; spaces, line ends and a 0x prefix per line are allowed. */
export function fromHexText(text: string): Uint8Array {
  const digits = text.replace(/0x/gi, '').replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error('--hex input is not an even number of hex digits');
  return hexToBytes(digits);
}
