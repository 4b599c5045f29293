/**
 * Builds what the app tests need: the window (Vite) and the Electron bundles (esbuild, CommonJS: sandboxed
 * preloads cannot load ES modules). Each caller names its output folder, so parallel test files never share one.
 * @module
 */
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Native modules stay outside the bundle: they are loaded from node_modules (unpacked from the asar). */
export const NATIVE = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', '@chainsafe/blst'];

export async function buildRenderer(outDir: string): Promise<string> {
  await viteBuild({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  return outDir;
}

export async function buildElectron(outDir: string): Promise<string> {
  await esbuild({
    entryPoints: { main: join(ROOT, 'main/electron/main.ts'), preload: join(ROOT, 'main/electron/preload.ts') },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outExtension: { '.js': '.cjs' },
    outdir: outDir,
    external: NATIVE,
    logLevel: 'error',
  });
  return outDir;
}
