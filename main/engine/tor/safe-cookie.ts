/**
 * SAFECOOKIE authentication (control-spec §3.24 AUTHCHALLENGE): the controller proves it can read the cookie without
 * sending it, and tor proves the same first, so a process that merely listens on the control port's address learns
 * nothing it could replay and cannot make the engine hand over a file's content. Pure: the client does the I/O.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TorError } from './errors.js';

/** The two fixed HMAC keys of control-spec §3.24. */
const SERVER_KEY = 'Tor safe cookie authentication server-to-controller hash';
const CLIENT_KEY = 'Tor safe cookie authentication controller-to-server hash';
/** A control cookie is exactly 32 bytes (control-spec §5.1); anything else is not one. */
export const COOKIE_BYTES = 32;
export const NONCE_BYTES = 32;

/** HMAC-SHA256(key, cookie ‖ client nonce ‖ server nonce) for both directions. */
export function safeCookieHashes(cookie: Uint8Array, clientNonce: Uint8Array, serverNonce: Uint8Array): { serverHash: Buffer; clientHash: Buffer } {
  const message = Buffer.concat([cookie, clientNonce, serverNonce]);
  return {
    serverHash: createHmac('sha256', SERVER_KEY).update(message).digest(),
    clientHash: createHmac('sha256', CLIENT_KEY).update(message).digest(),
  };
}

export const clientNonce = (): Buffer => randomBytes(NONCE_BYTES);

/**
 * The ClientHash to send with AUTHENTICATE, after checking tor's AUTHCHALLENGE answer
 * (`SERVERHASH=<64 hex> SERVERNONCE=<64 hex>`) in constant time.
 * @throws TorError 'control-refused' when the answer is malformed or tor does not know the cookie
 */
export function answerChallenge(cookie: Uint8Array, nonce: Uint8Array, keys: Record<string, string>): string {
  const hex = (v: string | undefined) => (v && /^[0-9A-Fa-f]{64}$/.test(v) ? Buffer.from(v, 'hex') : null);
  const serverHash = hex(keys.SERVERHASH);
  const serverNonce = hex(keys.SERVERNONCE);
  if (!serverHash || !serverNonce) throw new TorError('control-refused', 'tor answered AUTHCHALLENGE without a server hash and nonce');
  const expected = safeCookieHashes(cookie, nonce, serverNonce);
  if (!timingSafeEqual(expected.serverHash, serverHash)) throw new TorError('control-refused', 'the control port does not know the cookie: it is not our tor');
  return expected.clientHash.toString('hex');
}

/** The cookie file's 32 bytes; any other size is refused, so no other file's content is ever used or sent. */
export async function readCookie(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new TorError('control-refused', `cannot read the control cookie ${file}`, { cause: e });
  }
  if (bytes.length !== COOKIE_BYTES) throw new TorError('control-refused', `${file} is not a tor control cookie (${COOKIE_BYTES} bytes)`);
  return bytes;
}
