import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { Arch, build, Platform } from 'electron-builder';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildElectron, buildRenderer, ROOT } from '../../test/support/browser-build.js';
import { forkEngineChild } from '../../test/support/engine-child.js';
import { superviseEngine, type EngineChild } from './engine-supervisor.js';
import { TEST_WALLET_KEY } from '../../scripts/test-wallet-key.js';

/** What the bundles load from node_modules at run time: the native modules and their own dependencies. */
const PACKED_MODULES = ['@chainsafe/blst', '@napi-rs/keyring', '@napi-rs/keyring-linux-x64-gnu', '@serialport/binding-mock', '@serialport/bindings-cpp', '@serialport/bindings-interface',
  '@serialport/parser-byte-length', '@serialport/parser-cctalk', '@serialport/parser-delimiter', '@serialport/parser-inter-byte-timeout',
  '@serialport/parser-packet-length', '@serialport/parser-readline', '@serialport/parser-ready', '@serialport/parser-regex',
  '@serialport/parser-slip-encoder', '@serialport/parser-spacepacket', '@serialport/stream', 'better-sqlite3-multiple-ciphers', 'bindings', 'debug',
  'file-uri-to-path', 'ms', 'node-gyp-build', 'secp256k1', 'serialport'];
/** secp256k1's generator, compressed. */
const SECP256K1_G = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
/**
 * Measured here: 13.2 MB with secp256k1's 0.4 MB and the receipt-sums addon's two builds, 0.5 MB (56.7 MB before the
 * app's files were trimmed to what it loads).
 */
const SIZE_BUDGET = 13.5e6;

function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .reduce((n, d) => n + statSync(join(d.parentPath, d.name)).size, 0);
}

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

  it('packs the app (--dir) with a stand-in Electron: only what it loads, native modules unpacked, and the packed engine runs', async () => {
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
    const resources = join(app, 'resources');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false });
    for (const f of ['/dist/electron/main.mjs', '/dist/electron/engine.mjs', '/dist/electron/receipt-worker.mjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/package.json', '/build/icon.png'])
      expect(files, f).toContain(f);
    // No sources, tests, docs, maps, nor the UC's and the mint's packages (fastify, pg …): the bundles hold the JavaScript.
    expect(files.filter((f) => /\.(tsx?|map|md|c|cc|cpp|h|gyp)$/.test(f) || /^\/(main|renderer|test|mint|uc|bridge|protocol|docs|bench|scripts)\//.test(f))).toEqual([]);
    const modules = new Set(files.flatMap((f) => /^\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []).filter((m) => !m.startsWith('@') || m.includes('/')));
    expect([...modules].sort()).toEqual(PACKED_MODULES);
    // Native sources and build leftovers stay out, and so do other systems' binaries.
    expect(files.filter((f) => /\/node_modules\/(better-sqlite3-multiple-ciphers\/(deps|src|build\/Release\/obj)|@chainsafe\/blst\/blst|@serialport\/bindings-cpp\/src|secp256k1\/(src|node_modules))\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.node') && /(darwin|win32|android)/.test(f))).toEqual([]);
    // A native module must be loadable from disk, so it sits beside the asar, not in it.
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    // The seed scan's libsecp256k1 (native-restore.ts): this system's prebuilt N-API binary, unpacked.
    expect(readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'secp256k1', 'prebuilds'))).toEqual([`${process.platform}-${process.arch}`]);
    // The receipt-sums addon (curve-backends/native/), built here by `npm ci`, beside the engine's bundle.
    expect(existsSync(join(resources, 'app.asar.unpacked', 'dist', 'electron', 'receipt_sums.node'))).toBe(true);
    expect(existsSync(join(resources, 'tor'))).toBe(false);
    expect(bytesUnder(resources)).toBeLessThan(SIZE_BUDGET);

    // What was packed is enough to run: the packed engine process (under Node, whose ABI the native modules were
    // built for here) opens a wallet and answers.
    const unpacked = join(work, 'app');
    extractAll(join(resources, 'app.asar'), unpacked);
    // The addon as the bundled engine's secp256k1AddonOrNull() requires it, from its own folder: found in the packed app (not
    // the cashu-ts fallback), and computing (1·G is the generator).
    const engineRequire = createRequire(join(unpacked, 'dist', 'electron', 'engine.mjs'));
    expect(engineRequire.resolve('secp256k1/bindings').startsWith(unpacked)).toBe(true);
    const secp = engineRequire('secp256k1/bindings') as { publicKeyCreate(k: Uint8Array): Uint8Array };
    expect(Buffer.from(secp.publicKeyCreate(new Uint8Array(32).fill(1, 31))).toString('hex')).toBe(SECP256K1_G);
    const data = join(work, 'wallet');
    const spawned: EngineChild[] = [];
    const engine = superviseEngine({ spawn: forkEngineChild(join(unpacked, 'dist', 'electron', 'engine.mjs'), spawned), start: { argv: [], defaultDataDir: data, walletKey: TEST_WALLET_KEY.toString('hex') } });
    onTestFinished(() => engine.stop());
    expect(await engine.call('getStatus', [])).toMatchObject({ ok: true, value: { dataDir: data, proxy: { state: 'unconfigured' } } });
    await engine.stop();
    expect(engine.state).toBe('stopped');
  });
});
