/**
 * The tor binary for an installer: the Tor Project's expert bundle for one platform, downloaded, its sha256 checked
 * against the expected one, and its `tor/` folder (the binary and the libraries beside it) put where
 * electron-builder.yml's `extraResources` takes it from, `vendor/tor/<os>/`; the packed app then finds it at
 * `resources/tor/` (main/engine/tor/tor-binary.ts). Nothing is unpacked from an archive whose checksum differs.
 * The command line is fetch-tor.ts.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The expert bundle's platform names, and electron-builder's `${os}` for each. */
export const TOR_PLATFORMS = { 'linux-x86_64': 'linux', 'windows-x86_64': 'win', 'macos-x86_64': 'mac', 'macos-aarch64': 'mac' } as const;
export type TorPlatform = keyof typeof TOR_PLATFORMS;

export const PINNED_FILE = join(import.meta.dirname, 'tor-expert-bundle.sha256');
/** The Tor Project's distribution site, then its archive (older releases move there). */
export const TOR_DIST = ['https://dist.torproject.org/torbrowser', 'https://archive.torproject.org/tor-package-archive/torbrowser'];

export interface TorBundle {
  platform: TorPlatform;
  version: string;
  sha256: string;
}

export class TorBundleError extends Error {
  constructor(
    readonly code: 'bad-pinned-line' | 'not-pinned' | 'download-failed' | 'checksum-mismatch' | 'not-a-bundle',
    message: string,
  ) {
    super(message);
    this.name = 'TorBundleError';
  }
}

export const bundleFile = (b: Pick<TorBundle, 'platform' | 'version'>) => `tor-expert-bundle-${b.platform}-${b.version}.tar.gz`;

/** The lines `<sha256>  tor-expert-bundle-<platform>-<version>.tar.gz` of a pinned file; `#` starts a comment. */
export function parsePinned(text: string): TorBundle[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((line) => {
    const m = /^([0-9a-f]{64}) {2}tor-expert-bundle-([a-z0-9_]+-[a-z0-9_]+)-([0-9][0-9a-z.]*)\.tar\.gz$/.exec(line);
    if (!m || !(m[2]! in TOR_PLATFORMS)) throw new TorBundleError('bad-pinned-line', `not "<sha256>  tor-expert-bundle-<platform>-<version>.tar.gz" for a known platform: ${line}`);
    return { sha256: m[1]!, platform: m[2] as TorPlatform, version: m[3]! };
  });
}

export function pinnedBundle(platform: TorPlatform, text = readFileSync(PINNED_FILE, 'utf8')): TorBundle {
  const found = parsePinned(text).find((b) => b.platform === platform);
  if (!found) throw new TorBundleError('not-pinned', `no pinned expert bundle for ${platform} in ${PINNED_FILE}`);
  return found;
}

async function download(b: TorBundle, bases: readonly string[]): Promise<Buffer> {
  const tried: string[] = [];
  for (const base of bases) {
    const url = `${base}/${b.version}/${bundleFile(b)}`;
    const res = await fetch(url).catch((e: unknown) => ({ ok: false, status: String(e) }) as const);
    if (res.ok) return Buffer.from(await res.arrayBuffer());
    tried.push(`${url}: ${res.status}`);
  }
  throw new TorBundleError('download-failed', `could not download ${bundleFile(b)} (${tried.join('; ')})`);
}

/** Downloads, checks and unpacks one bundle's `tor/` into `out` (emptied first); returns the tor binary's path. */
export async function fetchTorBundle(b: TorBundle, out: string, bases: readonly string[] = TOR_DIST): Promise<string> {
  const archive = await download(b, bases);
  const got = createHash('sha256').update(archive).digest('hex');
  if (got !== b.sha256) throw new TorBundleError('checksum-mismatch', `${bundleFile(b)}: sha256 ${got}, expected ${b.sha256}; nothing unpacked`);
  const work = mkdtempSync(join(tmpdir(), 'sipster-tor-'));
  try {
    writeFileSync(join(work, 'bundle.tar.gz'), archive);
    // A relative archive name in its own folder: Windows' tar takes no drive letters in every build.
    const tar = spawnSync('tar', ['-xzf', 'bundle.tar.gz'], { cwd: work, encoding: 'utf8' });
    if (tar.status !== 0) throw new TorBundleError('not-a-bundle', `tar could not unpack ${bundleFile(b)}: ${tar.stderr || tar.error}`);
    const exe = b.platform.startsWith('windows') ? 'tor.exe' : 'tor';
    if (!existsSync(join(work, 'tor', exe))) throw new TorBundleError('not-a-bundle', `${bundleFile(b)} holds no tor/${exe}`);
    rmSync(out, { recursive: true, force: true });
    cpSync(join(work, 'tor'), out, { recursive: true });
    chmodSync(join(out, exe), 0o755);
    return join(out, exe);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
