import { describe, expect, it } from 'vitest';
import { parsePinned } from './tor-bundle.js';
import { signedBy, TOR_BROWSER_KEY, unsignedPins } from './tor-sums.js';

const pinned = parsePinned(`${'a'.repeat(64)}  tor-expert-bundle-linux-x86_64-15.0.15.tar.gz\n${'b'.repeat(64)}  tor-expert-bundle-windows-x86_64-15.0.15.tar.gz\n`);

describe("the pinned tor sums against the Tor Project's signed file", () => {
  it('reads the signer from gpg status only when the signature is good', () => {
    const good = `[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 157432CF78A65729 Tor Browser Developers (signing key) <torbrowser@torproject.org>\n` +
      `[GNUPG:] VALIDSIG CAAE408AEBE2288E96FC5D5E157432CF78A65729 2026-05-10 1778382814 0 4 0 1 10 00 ${TOR_BROWSER_KEY}\n`;
    expect(signedBy(good)).toBe(TOR_BROWSER_KEY);
    expect(signedBy('[GNUPG:] NEWSIG\n[GNUPG:] BADSIG 157432CF78A65729 Tor Browser Developers\n')).toBeNull();
    expect(signedBy('[GNUPG:] ERRSIG 157432CF78A65729 1 10 00 1778382814 9\n[GNUPG:] NO_PUBKEY 157432CF78A65729\n')).toBeNull();
  });

  it('names each pinned line the signed file lacks: another sum, or another release', () => {
    const signed = `${'c'.repeat(64)}  geckodriver-linux-x86_64-15.0.15.tar.xz\n${'a'.repeat(64)}  tor-expert-bundle-linux-x86_64-15.0.15.tar.gz\n${'f'.repeat(64)}  tor-expert-bundle-windows-x86_64-15.0.15.tar.gz\n`;
    expect(unsignedPins(pinned, signed)).toEqual([`${'b'.repeat(64)}  tor-expert-bundle-windows-x86_64-15.0.15.tar.gz`]);
    expect(unsignedPins(pinned, `${signed}${'b'.repeat(64)}  tor-expert-bundle-windows-x86_64-15.0.15.tar.gz\n`)).toEqual([]);
    expect(unsignedPins(pinned, '')).toHaveLength(2);
  });
});
