/**
 * Run by Electron as Node (ELECTRON_RUN_AS_NODE=1, the binary in node_modules, no fuses flipped) after the native
 * modules were rebuilt: each of the four the engine loads is loaded for Electron's ABI and used once (secp256k1's
 * prebuilt N-API binary is not rebuilt: it must load as is), and so is each build of the receipt-sums addon that
 * `npm ci` made and `build:app` copied beside the bundles (N-API, not rebuilt either). CommonJS and
 * plain JavaScript so that Electron runs it with no loader.
 */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const Database = require('better-sqlite3');
const { autoDetect } = require('@serialport/bindings-cpp');
const { blst } = require('@chainsafe/blst/dist/bindings');
const secp256k1 = require('secp256k1/bindings');

async function main() {
  // Under plain Node this would prove nothing about Electron's ABI.
  if (!process.versions.electron) throw new Error('run this with Electron: ELECTRON_RUN_AS_NODE=1 npx electron scripts/release/natives-in-electron.cjs');
  const row = new Database(':memory:').prepare('select 41 + 1 as n').get();
  if (row.n !== 42) throw new Error('better-sqlite3 answered ' + JSON.stringify(row));
  const ports = await autoDetect().list();
  const g = blst.P1.generator();
  if (!g.dup().add(g).is_equal(g.dup().dbl())) throw new Error('blst: 2G != G+G');
  const one = new Uint8Array(32);
  one[31] = 1;
  const G = secp256k1.publicKeyCreate(one);
  if (!Buffer.from(secp256k1.publicKeyCombine([G, G])).equals(Buffer.from(secp256k1.publicKeyTweakMul(G, Uint8Array.of(...new Uint8Array(31), 2)))))
    throw new Error('secp256k1: G+G != 2G');
  // G as T and as its receipt, coefficient 1: both sums are G.
  const items = new Uint8Array(96);
  items.set(g.compress(), 0);
  items.set(g.compress(), 48);
  const builds = ['receipt_sums.node', 'receipt_sums_adx.node'].filter((b) => existsSync(join(__dirname, '..', '..', 'dist', 'electron', b)));
  for (const b of builds) {
    const sums = require(join(__dirname, '..', '..', 'dist', 'electron', b)).receiptChunkSums(items, new Uint8Array(16));
    if (sums.bad.length !== 0 || !Buffer.from(sums.W).equals(Buffer.from(g.compress())) || !Buffer.from(sums.T).equals(Buffer.from(sums.W)))
      throw new Error(`${b}: the sums of G with coefficient 1 are not G`);
  }
  console.log(`receipt-sums addon: ${builds.join(', ') || 'not built (the slower path)'}`);
  console.log(`better-sqlite3, serialport (${ports.length} ports), blst, secp256k1: loaded by Electron ${process.versions.electron} (ABI ${process.versions.modules})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
