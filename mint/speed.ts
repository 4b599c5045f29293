// Micro-benchmark of the mint's curve work, noble/cashu-ts (before) against native OpenSSL (after):
// `npx tsx mint/speed.ts`. Figures go to docs/mint.md §Speed.
import { randomBytes } from 'node:crypto';
import {
  createBlindSignature,
  createDLEQProof,
  createNewMintKeys,
  hashToCurve,
  verifyUnblindedSignature,
} from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { Keyset } from './keysets.js';
import { hashToCurveNative } from './native-curve.js';

const seed = hexToBytes('22'.repeat(32));
const keyset = new Keyset({ unit: 'sat', inputFeePpk: 0, maxOrder: 8 }, true, seed);
const k = (createNewMintKeys(8, seed, { unit: 'sat', input_fee_ppk: 0 }).privKeys as Record<string, Uint8Array>)['1']!;
const kn = BigInt('0x' + bytesToHex(k));

function time(name: string, runs: number, per: number, f: () => void): void {
  f();
  const t = performance.now();
  for (let i = 0; i < runs; i++) f();
  console.log(`${name.padEnd(44)} ${((performance.now() - t) / runs / per).toFixed(3)} ms`);
}

const proofs = Array.from({ length: 16 }, () => {
  const secret = randomBytes(16).toString('hex');
  const Y = hashToCurve(utf8ToBytes(secret));
  return { secret, Y, C: createBlindSignature(Y, k, keyset.id).C_ };
});
const B_ = hashToCurve(randomBytes(16));

time('hash_to_curve, noble', 200, 1, () => hashToCurve(randomBytes(16)));
time('hash_to_curve, native', 200, 1, () => hashToCurveNative(randomBytes(16)));
time('1 input check, cashu-ts verifyUnblindedSignature', 40, 1, () =>
  verifyUnblindedSignature({ C: proofs[0]!.C, secret: utf8ToBytes(proofs[0]!.secret), id: keyset.id }, k),
);
time('1 input check, native', 40, 1, () => keyset.verify(1, proofs.slice(0, 1)));
time('16 inputs per input, noble batch (old)', 10, 16, () => {
  let sY = secp256k1.Point.ZERO;
  let sC = secp256k1.Point.ZERO;
  for (const p of proofs) {
    const rho = BigInt('0x' + randomBytes(16).toString('hex')) | 1n;
    sY = sY.add(p.Y.multiplyUnsafe(rho));
    sC = sC.add(p.C.multiplyUnsafe(rho));
  }
  sY.multiply(kn).equals(sC);
});
time('16 inputs per input, native', 10, 16, () => keyset.verify(1, proofs));
time('1 output, cashu-ts sign + DLEQ', 20, 1, () => {
  createBlindSignature(B_, k, keyset.id);
  createDLEQProof(B_, k);
});
time('1 output, native sign + DLEQ', 20, 1, () => keyset.sign(1, B_));
