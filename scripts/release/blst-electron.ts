/**
 * @chainsafe/blst for Electron's ABI. @electron/rebuild does not rebuild it: its binding.gyp is not at the package
 * root but in `blst/bindings/node.js/`, and the package loads `prebuild/<platform>-<arch>-<ABI>-binding.node`
 * (its dist/scripts/paths.js), which it ships for Node's ABIs only. Without one for Electron's, the engine falls
 * back to the noble backend (same results, about 15× slower receipt checks). So the release workflow builds it the
 * way blst's own installer does (node-gyp in that folder, with the SWIG output it ships, `prebuild/blst_wrap.cpp`),
 * against Electron's headers, and puts it where the loader looks. The command line is build-blst-for-electron.ts.
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const ELECTRON_HEADERS = 'https://electronjs.org/headers';

export interface BlstTarget {
  electronVersion: string;
  /** Electron's `process.versions.modules`. */
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface BlstBuild {
  cwd: string;
  /** Run with this Node: `node <node-gyp.js> rebuild …`. */
  args: string[];
  env: Record<string, string>;
  /** node-gyp's output … */
  built: string;
  /** … copied to where blst's loader looks for it in Electron. */
  binding: string;
}

/** The file blst's loader requires for a runtime (its dist/scripts/paths.js `getBinaryName`). */
export const blstBindingName = (t: Pick<BlstTarget, 'platform' | 'arch' | 'abi'>) => `${t.platform}-${t.arch}-${t.abi}-binding.node`;

const require = createRequire(import.meta.url);

/** The package's folder, and the node-gyp that @electron/rebuild itself runs for better-sqlite3 and serialport. */
export function blstPaths(): { blstDir: string; nodeGyp: string } {
  const blstDir = dirname(require.resolve('@chainsafe/blst/package.json'));
  const rebuildDir = dirname(require.resolve('@electron/rebuild'));
  return { blstDir, nodeGyp: require.resolve('node-gyp/bin/node-gyp.js', { paths: [rebuildDir] }) };
}

export function blstBuild(t: BlstTarget, p: { blstDir: string; nodeGyp: string } = blstPaths()): BlstBuild {
  const cwd = join(p.blstDir, 'blst', 'bindings', 'node.js');
  return {
    cwd,
    args: [p.nodeGyp, 'rebuild', `--target=${t.electronVersion}`, `--arch=${t.arch}`, `--dist-url=${ELECTRON_HEADERS}`],
    // blst_wrap.py copies the shipped SWIG output instead of running SWIG (not installed on the runners).
    env: { BLST_WRAP_CPP_PREBUILD: join(p.blstDir, 'prebuild', 'blst_wrap.cpp') },
    built: join(cwd, 'build', 'Release', 'blst.node'),
    binding: join(p.blstDir, 'prebuild', blstBindingName(t)),
  };
}
