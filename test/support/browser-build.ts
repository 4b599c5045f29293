/**
 * Builds the app: the window (Vite) and the Electron bundles (esbuild). The main process is an ES module (the
 * engine's native bindings are loaded with createRequire(import.meta.url)); the preload is CommonJS (sandboxed
 * preloads cannot load ES modules). `npm run build:app` runs this file; tests call the functions with their own
 * output folders, so parallel test files never share one.
 * @module
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Native modules stay outside the bundle: they are loaded from node_modules (unpacked from the asar). */
const NATIVE = ['electron', 'better-sqlite3-multiple-ciphers', '@napi-rs/*', 'serialport', '@serialport/*', '@chainsafe/blst', 'secp256k1'];

/**
 * `fresh: false` overwrites in place instead of emptying the folder first: for dist/renderer, which a running demo
 * may be serving while another test packs or rebuilds it (the build's file names are content hashes, so they match).
 */
export async function buildRenderer(outDir: string, { fresh = true } = {}): Promise<string> {
  await viteBuild({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), build: { outDir, emptyOutDir: fresh }, logLevel: 'error' });
  return outDir;
}

export async function buildElectron(outDir: string): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node22', external: NATIVE, logLevel: 'error' } as const;
  const esm = {
    ...common,
    format: 'esm',
    // Bundled CommonJS dependencies still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __sipsterRequire } from 'node:module'; const require = __sipsterRequire(import.meta.url);" },
  } as const;
  await esbuild({ ...esm, entryPoints: [join(ROOT, 'main/electron/main.ts')], outfile: join(outDir, 'main.mjs') });
  // The engine's own process (utilityProcess.fork in main.ts): the engine and its native modules; beside it the entry
  // of its receipt-check threads (curve-backends/receipt-pool.ts looks for it there), the code both use in shared chunks.
  await esbuild({
    ...esm, entryPoints: { engine: join(ROOT, 'main/electron/engine-process.ts'), 'receipt-worker': join(ROOT, 'curve-backends/receipt-worker.ts') },
    outdir: outDir, outExtension: { '.js': '.mjs' }, splitting: true, chunkNames: 'chunk-[hash]',
  });
  // The receipt-sums addon's builds where `npm ci` built them: beside the bundles, where curve-backends/native/
  // receipt-sums.ts looks from a bundle (N-API: no rebuild for Electron). Without them receipts are checked on the slower path.
  for (const build of ['receipt_sums.node', 'receipt_sums_adx.node']) {
    const built = join(ROOT, 'curve-backends', 'native', 'build', 'Release', build);
    if (existsSync(built)) copyFileSync(built, join(outDir, build));
  }
  await esbuild({ ...common, entryPoints: [join(ROOT, 'main/electron/preload.ts')], format: 'cjs', outfile: join(outDir, 'preload.cjs') });
  return outDir;
}

if (process.argv[1] === import.meta.filename) {
  await buildRenderer(join(ROOT, 'dist', 'renderer'));
  await buildElectron(join(ROOT, 'dist', 'electron'));
  console.log('built dist/renderer and dist/electron');
}
