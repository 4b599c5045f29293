// Builds the receipt-sums addon (binding.gyp) at `npm ci` (postinstall, `--optional`) and by `npm run build:native`.
// With --optional it never fails the install: without a C compiler, python3 or make the addon stays absent and the
// receipt check keeps the curve backend's path (receipt-sums.ts answers null), only slower.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const optional = process.argv.includes('--optional');
// npm names its own node-gyp to the scripts it runs; `npm run` from a checkout without it uses the dependency's.
let gyp = process.env.npm_config_node_gyp;
try {
  gyp ??= createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  // reported below as a failed build
}
// Node's own headers where its installation has them (Debian's nodejs, nodejs.org's archives, nvm): no download.
const prefix = dirname(dirname(process.execPath));
const nodedir = existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
const run = gyp ? spawnSync(process.execPath, [gyp, 'rebuild', ...nodedir], { cwd: import.meta.dirname, stdio: 'inherit' }) : null;
if (run?.status !== 0) {
  console.warn(`sipster-home: the receipt-sums addon was not built (${gyp ? 'node-gyp failed, see above' : 'no node-gyp'}); it needs a C compiler, python3 and make. `
    + 'The batch receipt check works without it, on the slower JavaScript path; `npm run build:native` builds it later.');
  process.exit(optional ? 0 : 1);
}
