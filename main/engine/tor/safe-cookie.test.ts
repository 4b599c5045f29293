import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { answerChallenge, readCookie, safeCookieHashes } from './safe-cookie.js';

const cookie = Uint8Array.from({ length: 32 }, (_, i) => i);
const clientNonce = new Uint8Array(32).fill(0xaa);
const serverNonce = new Uint8Array(32).fill(0x55);
// Computed apart from this code (Python's hmac, the keys of control-spec §3.24 as key, cookie ‖ client nonce ‖ server nonce as message).
const SERVER_HASH = '5f7cb5569957c99373e329258545940f029af175da225f4a3125eebf30c24bba';
const CLIENT_HASH = '9f99f2c4b75c91123ca5c6c6e3f76a9ef7fbd9471053cbe34454a4269cc39f7c';

describe('SAFECOOKIE (control-spec §3.24)', () => {
  it('the two HMAC-SHA256 hashes under the fixed keys', () => {
    const h = safeCookieHashes(cookie, clientNonce, serverNonce);
    expect(h.serverHash.toString('hex')).toBe(SERVER_HASH);
    expect(h.clientHash.toString('hex')).toBe(CLIENT_HASH);
  });

  it("answers only a tor that proves it knows the cookie", () => {
    const nonce = Buffer.from(serverNonce).toString('hex');
    expect(answerChallenge(cookie, clientNonce, { SERVERHASH: SERVER_HASH.toUpperCase(), SERVERNONCE: nonce })).toBe(CLIENT_HASH);
    const wrong = `${SERVER_HASH.slice(0, 63)}${SERVER_HASH.endsWith('a') ? 'b' : 'a'}`;
    expect(() => answerChallenge(cookie, clientNonce, { SERVERHASH: wrong, SERVERNONCE: nonce })).toThrow(expect.objectContaining({ code: 'control-refused' }));
    expect(() => answerChallenge(cookie, clientNonce, { SERVERNONCE: nonce })).toThrow(expect.objectContaining({ code: 'control-refused' }));
  });

  it('reads a cookie file of exactly 32 bytes, and no other file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-cookie-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'cookie'), cookie);
    writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    writeFileSync(join(dir, 'short'), cookie.slice(0, 31));
    expect(new Uint8Array(await readCookie(join(dir, 'cookie')))).toEqual(cookie);
    for (const f of ['passwd', 'short', 'missing']) await expect(readCookie(join(dir, f))).rejects.toMatchObject({ code: 'control-refused' });
  });
});
