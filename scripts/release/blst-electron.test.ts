import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blstBindingName, blstBuild, blstPaths, ELECTRON_HEADERS } from './blst-electron.js';

const require = createRequire(import.meta.url);
/** blst's own loader's naming (the file it requires at run time). */
const { getBinaryName } = require('@chainsafe/blst/dist/scripts/paths.js') as { getBinaryName(): string };

describe('building @chainsafe/blst for Electron', () => {
  it("names the binding as blst's own loader does, so Electron's process loads it", () => {
    const here = { platform: process.platform, arch: process.arch, abi: process.versions.modules };
    expect(blstBindingName(here)).toBe(getBinaryName());
    expect(blstBindingName({ platform: 'win32', arch: 'x64', abi: '145' })).toBe('win32-x64-145-binding.node');
  });

  it("runs node-gyp in the folder that holds binding.gyp, against Electron's headers, with the shipped SWIG output", () => {
    const b = blstBuild({ electronVersion: '41.7.1', abi: '145', platform: 'darwin', arch: 'arm64' });
    const { blstDir } = blstPaths();
    expect(existsSync(join(b.cwd, 'binding.gyp'))).toBe(true);
    expect(existsSync(join(blstDir, 'binding.gyp'))).toBe(false); // why @electron/rebuild passes it by
    expect(existsSync(b.env.BLST_WRAP_CPP_PREBUILD!)).toBe(true);
    expect(b.args.slice(1)).toEqual(['rebuild', '--target=41.7.1', '--arch=arm64', `--dist-url=${ELECTRON_HEADERS}`]);
    expect(b.built).toBe(join(b.cwd, 'build', 'Release', 'blst.node'));
    expect(b.binding).toBe(join(blstDir, 'prebuild', 'darwin-arm64-145-binding.node'));
  });

  it("uses @electron/rebuild's own node-gyp (≥ 10: the hoisted 8.x needs Python's distutils, gone in 3.12)", () => {
    const { nodeGyp } = blstPaths();
    const version = (JSON.parse(readFileSync(join(dirname(nodeGyp), '..', 'package.json'), 'utf8')) as { version: string }).version;
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(10);
  });
});
