/**
 * `tsx scripts/release/check-tor-sums.ts` (release workflow, Linux): downloads the Tor Project's
 * sha256sums-signed-build.txt and its signature for the pinned release, fetches the Tor Browser Developers key by WKD
 * into a throw-away keyring, and fails unless the signature is good, made by that key, and every pinned line is in
 * the signed file (tor-sums.ts).
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePinned, PINNED_FILE, TOR_DIST } from './tor-bundle.js';
import { signedBy, TOR_BROWSER_KEY, unsignedPins } from './tor-sums.js';

const pinned = parsePinned(readFileSync(PINNED_FILE, 'utf8'));
const versions = [...new Set(pinned.map((b) => b.version))];
const home = mkdtempSync(join(tmpdir(), 'sipster-gpg-'));
const gpg = (args: string[]) => spawnSync('gpg', ['--homedir', home, '--batch', ...args], { encoding: 'utf8' });

async function get(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

try {
  const key = gpg(['--auto-key-locate', 'nodefault,wkd', '--locate-keys', 'torbrowser@torproject.org']);
  if (key.status !== 0) throw new Error(`could not fetch the Tor Browser Developers key: ${key.stderr}`);
  for (const version of versions) {
    const base = `${TOR_DIST[0]}/${version}`;
    const sums = join(home, 'sums.txt');
    writeFileSync(sums, await get(`${base}/sha256sums-signed-build.txt`));
    writeFileSync(`${sums}.asc`, await get(`${base}/sha256sums-signed-build.txt.asc`));
    const verify = gpg(['--status-fd', '1', '--verify', `${sums}.asc`, sums]);
    const by = signedBy(verify.stdout);
    if (verify.status !== 0 || by !== TOR_BROWSER_KEY) throw new Error(`sha256sums-signed-build.txt of ${version}: no good signature by ${TOR_BROWSER_KEY} (${by ?? verify.stderr})`);
    const missing = unsignedPins(pinned.filter((b) => b.version === version), readFileSync(sums, 'utf8'));
    if (missing.length) throw new Error(`pinned but not in the Tor Project's signed sums for ${version}: ${missing.join('; ')}`);
    console.log(`tor ${version}: sha256sums-signed-build.txt signed by ${TOR_BROWSER_KEY}; all ${pinned.length} pinned lines in it`);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  rmSync(home, { recursive: true, force: true });
}
