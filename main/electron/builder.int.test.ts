import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { Arch, build, Platform } from 'electron-builder';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildElectron, buildRenderer, ROOT } from '../../test/support/browser-build.js';

const load = () => getConfig(ROOT, 'electron-builder.yml', null);
const validate = (c: object) => validateConfiguration(c, new DebugLogger(false));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, and a misspelled key does not", async () => {
    const config = await load();
    await expect(validate(config)).resolves.toBeUndefined();
    expect(config.appId).toBe('org.sipster.home');
    const { linux, ...rest } = config;
    await expect(validate({ ...rest, linx: linux })).rejects.toThrow(/unknown property 'linx'/);
    await expect(validate({ ...config, nsis: { ...config.nsis, oneClik: false } })).rejects.toThrow(/configuration\.nsis/);
  });

  it('names every installer the issue asks for, with icons, fuses and the optional tor resource', async () => {
    const c = await load();
    const targets = (t: unknown) => (t as string[]).join(',');
    expect(targets(c.linux?.target)).toBe('AppImage,deb');
    expect(targets(c.win?.target)).toBe('nsis');
    expect(targets(c.mac?.target)).toBe('dmg');
    for (const icon of [c.linux?.icon, c.win?.icon, c.mac?.icon]) expect(existsSync(join(ROOT, String(icon)))).toBe(true);
    expect(c.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableNodeCliInspectArguments: false });
    expect(c.extraResources).toEqual([expect.objectContaining({ from: 'vendor/tor/${os}', to: 'tor' })]);
    expect(c.asarUnpack).toContain('**/*.node');
    expect(c.npmRebuild).toBe(true);
  });

  it('packs the app (--dir) with a stand-in Electron: bundles, window and native modules where intended', async () => {
    const work = mkdtempSync(join(tmpdir(), 'sipster-pack-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    // Electron's binary cannot be downloaded here: a stand-in executable takes its place.
    const electronDist = join(work, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await buildRenderer(join(ROOT, 'dist', 'renderer'), { fresh: false });
    await buildElectron(join(ROOT, 'dist', 'electron'));
    const config = await load();
    const version = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version as string;
    const output = join(work, 'out');
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      // Not possible here: rebuilding native modules needs Electron's headers, fuses need the real binary.
      config: { ...config, electronDist, electronVersion: version, npmRebuild: false, electronFuses: null, directories: { ...config.directories, output } },
    });
    const app = join(output, 'linux-unpacked');
    expect(statSync(join(app, 'sipster-home')).mode & 0o111).not.toBe(0);
    const files = listPackage(join(app, 'resources', 'app.asar'), { isPack: false });
    for (const f of ['/dist/electron/main.mjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/package.json', '/build/icon.png'])
      expect(files, f).toContain(f);
    expect(files.filter((f) => /\.tsx?$/.test(f) || /^\/(main|renderer|test|mint|uc|bridge|protocol)\//.test(f))).toEqual([]);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/'))).toBe(true);
    // A native module must be loadable from disk, so it sits beside the asar, not in it.
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(app, 'resources', 'tor'))).toBe(false);
  });
});
