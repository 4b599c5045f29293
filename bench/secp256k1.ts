/**
 * npm run bench:secp256k1 — which secp256k1 library is fastest on this Node for the mint's work (issue 15 §1):
 * a constant-time k·P by a secret scalar, hash_to_curve's decompression of a candidate x, and one output's
 * C_ = k·B_ with its NUT-12 DLEQ proof. Candidates: libsecp256k1 native (`secp256k1`), libsecp256k1 in wasm
 * (`tiny-secp256k1`), noble behind the same API (`@bitcoinerlab/secp256k1`), noble itself and Node's OpenSSL
 * (the mint's backend before). Then the whole mint: its CPU per coin redeemed (the CLI mint in its own process,
 * SQLite file, swaps over loopback HTTP as the UC makes them: N coins of 1 in, one output per bit of N out, no DLEQ
 * check on the client). Writes bench/secp256k1.json (`--quick`: bench/secp256k1.quick.json).
 *
 * Only the library the mint uses is a dependency; `--modules DIR` loads the others from a scratch folder where
 * they were installed (`npm install secp256k1 tiny-secp256k1 @bitcoinerlab/secp256k1` in DIR). A candidate that
 * does not load is listed under `missing`.
 */
import { spawn } from 'node:child_process';
import { createECDH, createHash, ECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { getDecodedToken, Wallet, type Proof } from '@cashu/cashu-ts';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { SecretKey } from '../mint/native-curve.js';
import { MintLink } from '../uc/pay/mint-link.js';
import { mintCoins } from '../scripts/uc-fixture.js';
import { measure, processCpuMs, writeReport, type Op } from './measure.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, modules: { type: 'string' } } });
const quick = values.quick;
const requireFrom = createRequire(join(resolve(values.modules ?? '.'), 'package.json'));

/** The three operations every candidate is asked for, on 33-byte compressed points and 32-byte scalars. */
interface Candidate {
  /** k·P compressed; x(k·P) only where `xOnly` (OpenSSL's ECDH, the mint's backend before, needed two for a point). */
  mul(P: Uint8Array, k: Uint8Array): Uint8Array;
  xOnly?: boolean;
  base(k: Uint8Array): Uint8Array;
  /** The 65-byte point of a 33-byte encoding; null when it is not on the curve. */
  decompress(P: Uint8Array): Uint8Array | null;
}

interface TinyApi {
  pointMultiply(p: Uint8Array, k: Uint8Array, compressed?: boolean): Uint8Array | null;
  pointFromScalar(k: Uint8Array, compressed?: boolean): Uint8Array | null;
  pointCompress(p: Uint8Array, compressed?: boolean): Uint8Array;
  isPoint(p: Uint8Array): boolean;
}

function tinyApi(lib: TinyApi): Candidate {
  return {
    mul: (P, k) => lib.pointMultiply(P, k, true)!,
    base: (k) => lib.pointFromScalar(k, true)!,
    decompress: (P) => (lib.isPoint(P) ? lib.pointCompress(P, false) : null),
  };
}

const loaders: Record<string, () => Candidate> = {
  // The mint's own code: constant-time products through the addon's ECDH (mint/native-curve.ts).
  'secp256k1 (libsecp256k1, native)': () => {
    // `secp256k1`'s main entry falls back to elliptic in JS when the addon fails: load the addon itself.
    const lib = requireFrom('secp256k1/bindings') as {
      publicKeyCreate(k: Uint8Array, compressed?: boolean): Uint8Array;
      publicKeyConvert(P: Uint8Array, compressed?: boolean): Uint8Array;
    };
    return {
      mul: (P, k) => cached('libsecp256k1', k, () => new SecretKey(k)).multiply(P),
      base: (k) => lib.publicKeyCreate(k, true),
      decompress: (P) => { try { return lib.publicKeyConvert(P, false); } catch { return null; } },
    };
  },
  'tiny-secp256k1 (libsecp256k1, wasm)': () => tinyApi(requireFrom('tiny-secp256k1') as TinyApi),
  '@bitcoinerlab/secp256k1 (noble)': () => tinyApi(requireFrom('@bitcoinerlab/secp256k1') as TinyApi),
  '@noble/curves': () => ({
    mul: (P, k) => noble.Point.fromBytes(P).multiply(scalar(k)).toBytes(true),
    base: (k) => noble.getPublicKey(k, true),
    decompress: (P) => { try { return noble.Point.fromBytes(P).toBytes(false); } catch { return null; } },
  }),
  'node:crypto (OpenSSL)': () => ({
    // One ECDH object per secret key, as the mint kept them: the key is set once, outside the timed product.
    mul: (P, k) => cached('openssl', k, () => { const e = createECDH('secp256k1'); e.setPrivateKey(k); return e; }).computeSecret(P),
    xOnly: true,
    base: (k) => noble.getPublicKey(k, true),
    decompress: (P) => { try { return ECDH.convertKey(P, 'secp256k1', undefined, undefined, 'uncompressed') as Buffer; } catch { return null; } },
  }),
};

const keys = new Map<string, unknown>();
function cached<T>(library: string, k: Uint8Array, make: () => T): T {
  const hex = `${library}:${Buffer.from(k).toString('hex')}`;
  if (!keys.has(hex)) keys.set(hex, make());
  return keys.get(hex) as T;
}

const N = noble.Point.CURVE().n;
function scalar(k: Uint8Array): bigint {
  return BigInt('0x' + Buffer.from(k).toString('hex')) % N;
}
function randomScalar(): Uint8Array {
  for (;;) {
    const k = randomBytes(32);
    const v = BigInt('0x' + k.toString('hex'));
    if (v > 0n && v < N) return k;
  }
}

/** NUT-12 DLEQ on output B_: C_ = k·B_, R1 = r·G, R2 = r·B_, e = hash_e(R1, R2, K, C_), s = r + e·k. */
function signWithDleq(c: Candidate, k: Uint8Array, K: Uint8Array, B_: Uint8Array): { C_: Uint8Array; e: Buffer; s: bigint } {
  const C_ = c.mul(B_, k);
  const r = randomScalar();
  const hex = [c.base(r), c.mul(B_, r), K, C_].map((P) => Buffer.from(c.decompress(P)!).toString('hex')).join('');
  const e = createHash('sha256').update(hex).digest();
  return { C_, e, s: (scalar(r) + BigInt('0x' + e.toString('hex')) * scalar(k)) % N };
}

const k = randomScalar();
const points = Array.from({ length: 64 }, () => noble.Point.BASE.multiply(scalar(randomScalar())).toBytes(true));
// Candidates as hash_to_curve makes them (02 ‖ SHA-256 output): about half are on the curve.
const candidates = Array.from({ length: 64 }, () => Buffer.concat([Buffer.from([2]), randomBytes(32)]));
const expected = points.map((P) => noble.Point.fromBytes(P).multiply(scalar(k)).toHex(true));
const onCurve = candidates.map((P) => { try { noble.Point.fromBytes(P); return true; } catch { return false; } });

const ops: Record<string, Op> = {};
const missing: Record<string, string> = {};
const n = (x: number) => (quick ? Math.max(5, x >> 3) : x);
for (const [name, load] of Object.entries(loaders)) {
  let c: Candidate;
  try {
    c = load();
  } catch (err) {
    missing[name] = (err as Error).message.split('\n')[0]!;
    continue;
  }
  // Same answers as noble before any timing: a fast wrong library would not count.
  points.forEach((P, i) => {
    const got = Buffer.from(c.mul(P, k)).toString('hex');
    if (got !== (c.xOnly ? expected[i]!.slice(2) : expected[i])) throw new Error(`${name}: k·P differs from noble`);
  });
  candidates.forEach((P, i) => { if ((c.decompress(P) !== null) !== onCurve[i]) throw new Error(`${name}: decompression differs from noble`); });
  const K = c.base(k);
  let i = 0;
  ops[`k_mul_P ${name}`] = measure(() => c.mul(points[i++ % points.length]!, k), { n: n(400) });
  ops[`decompress ${name}`] = measure(() => { for (const P of candidates) c.decompress(P); }, { n: n(200), per: candidates.length });
  if (!c.xOnly) ops[`sign_dleq ${name}`] = measure(() => signWithDleq(c, k, K, points[i++ % points.length]!), { n: n(200) });
}

// The mint's own signing (deterministic NUT-12 nonce, scalars in libsecp256k1) next to the generic DLEQ above.
const mintKey = new SecretKey(k);
let j = 0;
ops['sign_dleq mint SecretKey.sign'] = measure(() => mintKey.sign(points[j++ % points.length]!), { n: n(200) });

/** The CLI mint's own CPU per coin over swaps of `coins` coins of 1 (as the UC redeems them), `swaps` times each. */
async function mintCpuPerCoin(levels: { coins: number; swaps: number }[]) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-secp256k1-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'mint/cli.ts', '--port', '0', '--db', join(dir, 'mint.sqlite'), '--demo'], {
    cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let url = '';
    for await (const line of createInterface({ input: child.stdout })) {
      const m = /listening on (\S+)/.exec(line);
      if (m) { url = m[1]!; break; }
    }
    const wallet = new Wallet(url, { unit: 'sat' });
    await wallet.loadMint();
    const uc = await new MintLink(url, 'sat').ready(); // the UC's transport: the DLEQ proofs of its new proofs are dropped
    const results = [];
    for (const { coins, swaps } of levels) {
      const batches: Proof[][] = [];
      // Coins without their DLEQ proofs, as the UC sends them (the mint checks each signature itself).
      for (let i = 0; i < swaps; i++) {
        batches.push((await mintCoins(wallet, coins)).map((t) => ({ ...getDecodedToken(t, wallet.keyChain.getAllKeysetIds()).proofs[0]!, dleq: undefined })));
      }
      let outputs = 0;
      const cpu0 = processCpuMs(child.pid!);
      const t0 = performance.now();
      for (const batch of batches) outputs += (await uc.receive(batch)).length;
      const cpuMs = processCpuMs(child.pid!) - cpu0;
      results.push({
        coinsPerSwap: coins, swaps, outputsPerSwap: outputs / swaps,
        mintCpuMsPerCoin: Number((cpuMs / (coins * swaps)).toFixed(3)),
        wallMsPerSwap: Number(((performance.now() - t0) / swaps).toFixed(2)),
      });
      console.log('mint swap', results.at(-1));
    }
    return results;
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const levels = [{ coins: 1, swaps: 100 }, { coins: 16, swaps: 20 }, { coins: 64, swaps: 10 }, { coins: 256, swaps: 4 }];
const mintSwaps = await mintCpuPerCoin(quick ? levels.map((l) => ({ ...l, swaps: Math.max(2, l.swaps >> 2) })) : levels);

writeReport(quick ? 'secp256k1.quick.json' : 'secp256k1.json', ops, {
  missing,
  mint_swaps: mintSwaps,
  load_average_1_5_15: loadavg().map((x) => Number(x.toFixed(2))),
});
