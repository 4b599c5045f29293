/**
 * The fuse read-back of the Electron smoke test (fuses.ts) on stand-in binaries: the real @electron/fuses reads and
 * flips a file that carries Electron's fuse sentinel and wire (no Electron binary on this machine).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flipFuses, FuseVersion, type FuseV1Options } from '@electron/fuses';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILDER_FUSES, checkFuses, configuredFuses } from './fuses.js';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A file laid out like Electron's binary around its fuses: sentinel, wire version 1, length, one byte a fuse. */
function standIn(wire: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipster-fuses-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sipster-home');
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire), Buffer.alloc(4096, 7)]));
  return file;
}

/** Electron's own defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off. */
const STOCK = '10110001';

describe('the fuses read back from a packed binary', () => {
  it('a binary whose fuses were never flipped fails, naming each fuse that differs from electron-builder.yml', async () => {
    const results = await checkFuses(standIn(STOCK));
    const bad = results.filter((r) => !r.ok).map((r) => r.check).sort();
    expect(bad).toEqual(['fuse enableCookieEncryption', 'fuse enableEmbeddedAsarIntegrityValidation', 'fuse enableNodeCliInspectArguments',
      'fuse enableNodeOptionsEnvironmentVariable', 'fuse grantFileProtocolExtraPrivileges', 'fuse onlyLoadAppFromAsar', 'fuse runAsNode']);
    expect(results.find((r) => r.check === 'fuse runAsNode')?.detail).toBe('on (configured off)');
  });

  it('passes once flipped as electron-builder flips them (the same library, the config mapped the same way)', async () => {
    const app = standIn(STOCK);
    const config: Partial<Record<FuseV1Options, boolean>> = {};
    for (const [name, on] of Object.entries(configuredFuses())) config[BUILDER_FUSES[name]!] = on;
    await flipFuses(app, { version: FuseVersion.V1, ...config });
    const results = await checkFuses(app);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(Object.keys(configuredFuses()).length);
  });

  it('a fuse this Electron no longer has, or one beyond its wire, fails', async () => {
    const results = await checkFuses(standIn('0r'), { runAsNode: false, enableCookieEncryption: true, onlyLoadAppFromAsar: true });
    expect(results.map((r) => [r.check, r.ok, r.detail])).toEqual([
      ['fuse runAsNode', true, 'off (configured off)'],
      ['fuse enableCookieEncryption', false, 'removed (configured on)'],
      ['fuse onlyLoadAppFromAsar', false, 'absent (configured on)'],
    ]);
  });
});
