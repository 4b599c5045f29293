import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bundleFile, fetchTorBundle, parsePinned, pinnedBundle, TOR_PLATFORMS, TorBundleError, type TorBundle } from './tor-bundle.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-torbundle-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An archive laid out like the expert bundle (tor/ with the binary and its libraries, data/, docs/), made by tar. */
function fakeBundle(dir: string): Buffer {
  const src = join(dir, 'src');
  mkdirSync(join(src, 'tor'), { recursive: true });
  mkdirSync(join(src, 'data'));
  writeFileSync(join(src, 'tor', 'tor'), '#!/bin/sh\necho "Tor version 0.4.8.99."\n', { mode: 0o644 });
  writeFileSync(join(src, 'tor', 'libevent-2.1.so.7'), 'lib');
  writeFileSync(join(src, 'data', 'geoip'), 'geo');
  const tar = spawnSync('tar', ['-czf', join(dir, 'bundle.tar.gz'), 'tor', 'data'], { cwd: src });
  if (tar.status !== 0) throw new Error('tar is needed (Debian package tar)');
  return readFileSync(join(dir, 'bundle.tar.gz'));
}

/** A real HTTP server on 127.0.0.1 serving `files` by path; everything else is 404. */
async function serve(files: Record<string, Buffer>): Promise<{ base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    res.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the pinned expert bundles', () => {
  it('pin one release for every platform the installers are built on, each a sha256', () => {
    const pinned = parsePinned(readFileSync(join(import.meta.dirname, 'tor-expert-bundle.sha256'), 'utf8'));
    expect(pinned.map((b) => b.platform).sort()).toEqual(Object.keys(TOR_PLATFORMS).sort());
    expect(new Set(pinned.map((b) => b.version)).size).toBe(1);
    for (const b of pinned) expect(b.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pinnedBundle('linux-x86_64').sha256).toBe('ffc4528394442c3b33a9ccece3536511a3992c78e704756693bed7a2297ef0e7');
  });

  it('refuse a malformed line or an unknown platform, saying which', () => {
    expect(() => parsePinned(`${'a'.repeat(63)}  tor-expert-bundle-linux-x86_64-15.0.15.tar.gz`)).toThrow(TorBundleError);
    expect(() => parsePinned(`${'a'.repeat(64)}  tor-expert-bundle-plan9-mips-15.0.15.tar.gz`)).toThrow(/plan9-mips/);
    expect(() => pinnedBundle('macos-aarch64', '# nothing pinned\n')).toThrow(/no pinned expert bundle for macos-aarch64/);
  });
});

describe('fetchTorBundle (real HTTP on loopback, real tar)', () => {
  const version = '15.0.15';

  it('checks the sha256, then unpacks tor/ (binary and libraries, no data/) as an executable', async () => {
    const dir = scratch();
    const archive = fakeBundle(dir);
    const bundle: TorBundle = { platform: 'linux-x86_64', version, sha256: sha256(archive) };
    const { base, hits } = await serve({ [`/${version}/${bundleFile(bundle)}`]: archive });
    const out = join(dir, 'vendor', 'tor', 'linux');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'stale'), 'from an older release');
    const tor = await fetchTorBundle(bundle, out, [base]);
    expect(tor).toBe(join(out, 'tor'));
    expect(readdirSync(out).sort()).toEqual(['libevent-2.1.so.7', 'tor']);
    expect(statSync(tor).mode & 0o111).not.toBe(0);
    expect(spawnSync(tor, ['--version'], { encoding: 'utf8' }).stdout).toContain('Tor version');
    expect(hits).toEqual([`/${version}/tor-expert-bundle-linux-x86_64-${version}.tar.gz`]);
  });

  it('unpacks nothing when the checksum differs, and names both', async () => {
    const dir = scratch();
    const archive = fakeBundle(dir);
    const expected = sha256(Buffer.from('the real one'));
    const bundle: TorBundle = { platform: 'linux-x86_64', version, sha256: expected };
    const { base } = await serve({ [`/${version}/${bundleFile(bundle)}`]: archive });
    const out = join(dir, 'out');
    const err = await fetchTorBundle(bundle, out, [base]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TorBundleError);
    expect((err as TorBundleError).code).toBe('checksum-mismatch');
    expect((err as Error).message).toContain(sha256(archive));
    expect((err as Error).message).toContain(expected);
    expect(existsSync(out)).toBe(false);
  });

  it('falls back to the archive site when the distribution site no longer has the release', async () => {
    const dir = scratch();
    const archive = fakeBundle(dir);
    const bundle: TorBundle = { platform: 'linux-x86_64', version, sha256: sha256(archive) };
    const dist = await serve({});
    const old = await serve({ [`/${version}/${bundleFile(bundle)}`]: archive });
    await expect(fetchTorBundle(bundle, join(dir, 'out'), [dist.base, old.base])).resolves.toBe(join(dir, 'out', 'tor'));
    expect(dist.hits).toHaveLength(1);
    const none = await fetchTorBundle(bundle, join(dir, 'out2'), [dist.base]).catch((e: unknown) => e);
    expect((none as TorBundleError).code).toBe('download-failed');
    expect((none as Error).message).toContain('404');
  });

  it('refuses an archive with the right checksum but no tor in it', async () => {
    const dir = scratch();
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'docs'), { recursive: true });
    writeFileSync(join(empty, 'docs', 'README'), 'x');
    spawnSync('tar', ['-czf', join(dir, 'e.tar.gz'), 'docs'], { cwd: empty });
    const archive = readFileSync(join(dir, 'e.tar.gz'));
    const bundle: TorBundle = { platform: 'windows-x86_64', version, sha256: sha256(archive) };
    const { base } = await serve({ [`/${version}/${bundleFile(bundle)}`]: archive });
    await expect(fetchTorBundle(bundle, join(dir, 'out'), [base])).rejects.toThrow(/holds no tor\/tor\.exe/);
  });
});
