/**
 * `tsx scripts/release/fetch-tor.ts --platform linux-x86_64 [--version V --sha256 HEX] [--out DIR]`: the Tor
 * Project's expert bundle for one platform, checked and unpacked into vendor/tor/<os>/ (tor-bundle.ts). Without
 * --version and --sha256, both come from the pinned file, tor-expert-bundle.sha256.
 * @module
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleFile, fetchTorBundle, pinnedBundle, TOR_PLATFORMS, TorBundleError, type TorPlatform } from './tor-bundle.js';

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { platform: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string' }, out: { type: 'string' } } });
  const platform = v.platform as TorPlatform;
  if (!(platform in TOR_PLATFORMS)) throw new TorBundleError('not-pinned', `--platform wants one of ${Object.keys(TOR_PLATFORMS).join(', ')}`);
  if ((v.version === undefined) !== (v.sha256 === undefined)) throw new TorBundleError('not-pinned', '--version and --sha256 go together');
  const bundle = v.version && v.sha256 ? { platform, version: v.version, sha256: v.sha256.toLowerCase() } : pinnedBundle(platform);
  const tor = await fetchTorBundle(bundle, v.out ?? join('vendor', 'tor', TOR_PLATFORMS[platform]));
  console.log(`${bundleFile(bundle)}: sha256 ${bundle.sha256} verified; ${tor}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof TorBundleError ? `${e.code}: ${e.message}` : e);
  process.exit(1);
});
