/**
 * General-glo-ciphering (Green Book §9.2.7.2.4, xDLMS tag 219) and how it is opened:
 *
 *   DB | 08 | system title (8) | length | SC | frame counter (4) | ciphertext | GCM tag (12, when SC has 0x10)
 *
 * AES-128-GCM with IV = system title ‖ frame counter; with a tag, AAD = SC ‖ authentication key (GAK).
 * SC 0x30 (authenticated and encrypted) is checked with the tag; 0x20/0x21 (encrypted only) carry none,
 * so a wrong key shows only in the plaintext, which must then start as a DSMR telegram (`/`) or a
 * data-notification (`0F`) and decode. The cipher itself is an argument (GcmBackend), as the curve is
 * for the Sipster math: protocol/ stays free of I/O and of node:crypto; bridge/ passes node:crypto's.
 * A plain data-notification (`0F …`, a meter that does not encrypt) is passed through unopened.
 * @module
 */
import { decodeTelegram } from '../p1/telegram.js';
import { readLength } from './axdr.js';
import { DlmsError } from './errors.js';
import { DATA_NOTIFICATION, decodeDataNotification } from './notification.js';

/** AES-128-GCM decryption. */
export interface GcmBackend {
  /**
   * With `tag`: the plaintext, or null when the tag does not verify under `aad`.
   * With `tag` null: the plaintext without any check (GCM's counter mode from block 2).
   */
  decrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array, tag: Uint8Array | null): Uint8Array | null;
}

export interface DlmsKeys {
  /** The global unicast encryption key (GUEK), 16 bytes. */
  key: Uint8Array;
  /**
   * The global authentication key (GAK), 16 bytes. Absent: the key Luxembourg publishes for every Smarty
   * meter (LUXEMBOURG_AUTH_KEY). null: the tag is checked with an empty AAD (some test tools make such frames).
   */
  authKey?: Uint8Array | null;
}

/** Published in Luxmetering's P1 specification; every Smarty meter uses it. */
export const LUXEMBOURG_AUTH_KEY = /* @__PURE__ */ Uint8Array.from({ length: 16 }, (_, k) => k * 0x11);

const GLO_CIPHERING = 0xdb;
const TAG_BYTES = 12;

export interface GloCiphered {
  systemTitle: Uint8Array;
  /** Security control byte: 0x10 authenticated, 0x20 encrypted, 0x80 compressed; low nibble the suite. */
  security: number;
  frameCounter: number;
  ciphertext: Uint8Array;
  tag: Uint8Array | null;
}

/** @throws DlmsError 'bad-apdu' */
export function parseGlo(apdu: Uint8Array): GloCiphered {
  if (apdu[0] !== GLO_CIPHERING || apdu[1] !== 8) throw new DlmsError('bad-apdu', 'not a general-glo-ciphering APDU');
  const length = apdu.length >= 11 ? readLength(apdu, 10) : null;
  if (length === null || length === 'more' || length.next + length.value !== apdu.length) throw new DlmsError('bad-apdu', 'length field does not match the APDU');
  const security = apdu[length.next]!;
  if ((security & 0xa0) !== 0x20 || (security & 0x0f) > 1) throw new DlmsError('bad-apdu', 'security control not supported (needs encryption, no compression, suite 0 or 1)');
  const tagged = (security & 0x10) !== 0;
  const start = length.next + 5;
  const end = apdu.length - (tagged ? TAG_BYTES : 0);
  if (end < start) throw new DlmsError('bad-apdu', 'APDU shorter than its header');
  const view = new DataView(apdu.buffer, apdu.byteOffset);
  return {
    systemTitle: apdu.slice(2, 10), security, frameCounter: view.getUint32(length.next + 1),
    ciphertext: apdu.subarray(start, end), tag: tagged ? apdu.subarray(end) : null,
  };
}

export interface OpenedApdu {
  /** null for a plain data-notification (no security header). */
  systemTitle: Uint8Array | null;
  frameCounter: number | null;
  /** true when a GCM tag was checked. */
  authenticated: boolean;
  /** A DSMR telegram (starts with `/`) or a data-notification (starts with 0F). */
  plaintext: Uint8Array;
}

/** True when `p` is a whole DSMR telegram or data-notification (the test of a right key on tag-less frames). */
function decodes(p: Uint8Array): boolean {
  try {
    if (p[0] === 0x2f) decodeTelegram(p);
    else decodeDataNotification(p, '');
    return true;
  } catch {
    return false;
  }
}

const rightStart = (p: Uint8Array) => p[0] === 0x2f || p[0] === DATA_NOTIFICATION;

/**
 * Opens one APDU as the framer found it.
 * @throws DlmsError 'bad-apdu' | 'wrong-key' | 'wrong-auth-key' | 'damaged' | 'bad-data'
 */
export function openApdu(apdu: Uint8Array, keys: DlmsKeys, gcm: GcmBackend): OpenedApdu {
  if (apdu[0] === DATA_NOTIFICATION) return { systemTitle: null, frameCounter: null, authenticated: false, plaintext: apdu };
  if (keys.key.length !== 16 || (keys.authKey && keys.authKey.length !== 16)) throw new RangeError('DLMS keys must be 16 bytes');
  const glo = parseGlo(apdu);
  const iv = new Uint8Array(12);
  iv.set(glo.systemTitle);
  new DataView(iv.buffer).setUint32(8, glo.frameCounter);
  const opened = (plaintext: Uint8Array): OpenedApdu => ({ systemTitle: glo.systemTitle, frameCounter: glo.frameCounter, authenticated: glo.tag !== null, plaintext });
  if (glo.tag) {
    const authKey = keys.authKey === undefined ? LUXEMBOURG_AUTH_KEY : keys.authKey;
    const aad = authKey === null ? new Uint8Array(0) : Uint8Array.of(glo.security, ...authKey);
    const plaintext = gcm.decrypt(keys.key, iv, glo.ciphertext, aad, glo.tag);
    if (plaintext) {
      if (!rightStart(plaintext)) throw new DlmsError('bad-data', 'the plaintext is neither a DSMR telegram nor a data-notification');
      return opened(plaintext);
    }
    // The tag fails: tell the keys from the frame by what the unchecked plaintext looks like.
    const unchecked = gcm.decrypt(keys.key, iv, glo.ciphertext, aad, null)!;
    if (!rightStart(unchecked)) throw new DlmsError('wrong-key', 'the frame does not decrypt with this key');
    if (decodes(unchecked)) throw new DlmsError('wrong-auth-key', 'the data decrypts but its tag fails: wrong authentication key');
    throw new DlmsError('damaged', 'the GCM tag fails and the data does not decode: frame damaged');
  }
  const plaintext = gcm.decrypt(keys.key, iv, glo.ciphertext, new Uint8Array(0), null)!;
  if (!rightStart(plaintext)) throw new DlmsError('wrong-key', 'the frame does not decrypt with this key (it carries no tag: judged by its content)');
  return opened(plaintext);
}
