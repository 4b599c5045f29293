/**
 * The native backend: supranational's blst through @chainsafe/blst 0.2 (its SWIG bindings expose the
 * full point API), with P-256 through node:crypto. About 5–20× faster than noble on the hot paths
 * (docs/performance.md). Decoding keeps protocol/curve.ts's rules and error codes exactly.
 * @module
 */
import { DecodeError, g1EncodingCheck, g2EncodingCheck, Q, type CurveBackend } from '../protocol/index.js';
import { nodeP256Sign, nodeP256Verify } from './node-p256.js';
import { blst, loadBlst, millerLoop, type P1, type P1_Affine, type P2_Affine, type PT } from './blst-bindings.js';

const jac = (p: unknown) => p as P1;

/** Little-endian scalar bytes, blst's input format; k is reduced mod q first. */
function scalarLE(k: bigint): Uint8Array {
  let r = ((k % Q) + Q) % Q;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32 && r > 0n; i++) {
    out[i] = Number(r & 0xffn);
    r >>= 8n;
  }
  return out;
}

function decodeG1(bytes: Uint8Array, subgroup: boolean): P1 {
  g1EncodingCheck(bytes);
  let affine: P1_Affine;
  try {
    affine = new blst.P1_Affine(bytes);
  } catch (cause) {
    throw new DecodeError('not-on-curve', 'G1 x-coordinate has no point on the curve', { cause });
  }
  if (subgroup && !affine.in_group()) throw new DecodeError('not-in-subgroup', 'G1 point is outside the prime-order subgroup');
  return affine.to_jacobian();
}

function decodeG2(bytes: Uint8Array): P2_Affine {
  g2EncodingCheck(bytes);
  let affine: P2_Affine;
  try {
    affine = new blst.P2_Affine(bytes);
  } catch (cause) {
    throw new DecodeError('not-on-curve', 'G2 bytes are not a point on the curve', { cause });
  }
  if (!affine.in_group()) throw new DecodeError('not-in-subgroup', 'G2 point is outside the prime-order subgroup');
  return affine;
}

/**
 * Pippenger's bucket method over blst additions (the bindings expose no MSM), for 128-bit batch
 * coefficients; for a handful of points plain multiplications are cheaper.
 */
function msm(points: readonly P1[], scalars: readonly bigint[]): P1 {
  const n = points.length;
  if (n < 16) return points.reduce((acc, p, i) => acc.add(p.dup().mult(scalarLE(scalars[i]!))), new blst.P1());
  const c = n < 256 ? 5 : n < 2048 ? 7 : 9;
  const ks = scalars.map((k) => ((k % Q) + Q) % Q);
  const bits = ks.reduce((m, k) => Math.max(m, k.toString(2).length), 1);
  const mask = BigInt((1 << c) - 1);
  let acc = new blst.P1();
  for (let w = Math.ceil(bits / c) - 1; w >= 0; w--) {
    for (let d = 0; d < c; d++) acc = acc.dbl();
    const buckets: (P1 | undefined)[] = new Array(1 << c);
    const shift = BigInt(w * c);
    for (let i = 0; i < n; i++) {
      const digit = Number((ks[i]! >> shift) & mask);
      if (digit === 0) continue;
      const b = buckets[digit];
      // Jacobian additions: through the bindings they cost a third of mixed (affine) ones.
      if (b) b.add(points[i]!);
      else buckets[digit] = points[i]!.dup();
    }
    let running = new blst.P1();
    let windowSum = new blst.P1();
    for (let d = buckets.length - 1; d > 0; d--) {
      const b = buckets[d];
      if (b) running = running.add(b);
      windowSum = windowSum.add(running);
    }
    acc = acc.add(windowSum);
  }
  return acc;
}

let g2Generator: P2_Affine | undefined;

export function blstBackend(): CurveBackend {
  loadBlst();
  return {
    name: 'blst',
    g1FromBytes: decodeG1,
    g1ToBytes: (p) => jac(p).compress(),
    g1Generator: () => blst.G1(),
    g1Mul: (p, k) => jac(p).dup().mult(scalarLE(k)),
    g1Add: (a, b) => jac(a).dup().add(jac(b)),
    g1Neg: (p) => jac(p).dup().neg(),
    g1Sum: (ps) => ps.reduce<P1>((acc, p) => acc.add(jac(p)), new blst.P1()),
    g1Msm: (ps, ks) => msm(ps.map(jac), ks),
    g1Equals: (a, b) => jac(a).is_equal(jac(b)),
    g1IsIdentity: (p) => jac(p).is_inf(),
    g2FromBytes: decodeG2,
    g2Generator: () => (g2Generator ??= blst.G2().to_affine()),
    pairingProductIsOne: (pairs) => {
      let acc: PT | undefined;
      for (const [p, q] of pairs) {
        if (jac(p).is_inf()) continue; // e(O, Q) = 1; blst's Miller loop wants finite affine points
        const ml = millerLoop(jac(p).to_affine(), q as P2_Affine);
        acc = acc ? acc.mul(ml) : ml;
      }
      return acc === undefined || acc.final_exp().is_one();
    },
    p256Verify: nodeP256Verify,
    p256Sign: nodeP256Sign,
  };
}
