/**
 * The pinned expert-bundle checksums (tor-expert-bundle.sha256) held against the Tor Project's own signed sums file
 * for that release: `sha256sums-signed-build.txt`, whose detached signature must be good and made by the Tor
 * Browser Developers key (primary fingerprint below, as the Tor Project publishes it). Run by the release workflow
 * before any installer is built (check-tor-sums.ts); the logic is here, testable without the network.
 * @module
 */
import { bundleFile, type TorBundle } from './tor-bundle.js';

/** "Tor Browser Developers (signing key) <torbrowser@torproject.org>" (support.torproject.org, how to verify). */
export const TOR_BROWSER_KEY = 'EF6E286DDA85EA2A4BA7DE684E2C6E8793298290';

/**
 * The primary key fingerprint of a good signature in gpg's machine-readable status (`--status-fd`): the last field of
 * `[GNUPG:] VALIDSIG`, present only when the signature is good. Null for anything else.
 */
export function signedBy(status: string): string | null {
  const valid = status.split('\n').find((l) => l.startsWith('[GNUPG:] VALIDSIG '));
  return valid?.trim().split(/\s+/).at(-1)?.toUpperCase() ?? null;
}

/** The pinned lines the signed sums file does not hold exactly (sha256 and archive name on one line). */
export function unsignedPins(pinned: readonly TorBundle[], signedSums: string): string[] {
  const lines = new Set(signedSums.split('\n').map((l) => l.trim().replace(/\s+/, '  ')));
  return pinned.map((b) => `${b.sha256}  ${bundleFile(b)}`).filter((l) => !lines.has(l));
}
