/**
 * `tsx scripts/release/build-blst-for-electron.ts`: builds @chainsafe/blst's binding for the Electron installed in
 * node_modules (its version and ABI asked of its own binary) and checks that Electron loads it (blst-electron.ts).
 * Needs Electron's binary, a C/C++ toolchain and Python, as @electron/rebuild does.
 * @module
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { blstBuild } from './blst-electron.js';

const require = createRequire(import.meta.url);
const electron = require('electron') as unknown as string;
const electronVersion = (require('electron/package.json') as { version: string }).version;

function run(cmd: string, args: string[], o: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...o });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.error})`);
  return String(r.stdout);
}

/** Electron's own Node, without a window (the binary in node_modules has no fuses flipped). */
const asNode = (args: string[]) => run(electron, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }).trim();

const abi = asNode(['-p', 'process.versions.modules']);
const build = blstBuild({ electronVersion, abi, platform: process.platform, arch: process.arch });
console.log(`blst for Electron ${electronVersion} (ABI ${abi}, ${process.platform}-${process.arch}) in ${build.cwd}`);
run(process.execPath, build.args, { cwd: build.cwd, env: { ...process.env, ...build.env }, stdio: 'inherit' });
if (!existsSync(build.built)) throw new Error(`node-gyp reported success but wrote no ${build.built}`);
copyFileSync(build.built, build.binding);
// Loaded by Electron through blst's own loader, and used once: the G1 generator doubled two ways.
const check = "const { blst } = require('@chainsafe/blst/dist/bindings'); const g = blst.P1.generator(); " +
  "if (!g.dup().add(g).is_equal(g.dup().dbl())) throw new Error('blst: 2G != G+G'); console.log(process.versions.modules)";
console.log(`${build.binding}: loaded by Electron (ABI ${asNode(['-e', check])})`);
