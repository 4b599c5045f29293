/**
 * A point E of small order on E(Fp) (its order divides the G1 cofactor h), and ω + E encoded without any
 * validity check: the receipt-tagging attack of protocol.md §Payment.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { blst, loadBlst, millerLoop } from '../../curve-backends/blst-bindings.js';

const { Fp, Fr } = bls12_381.fields;
const G1 = bls12_381.G1.Point;
type Point = InstanceType<typeof G1>;

/** r·P for a curve point P outside the subgroup: killed by r, so of order dividing h, and not the identity. */
export function smallOrderPoint(): Point {
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.pow(x, 3n), 4n);
    if (Fp.pow(rhs, (Fp.ORDER - 1n) / 2n) !== 1n) continue;
    const P = G1.fromAffine({ x, y: Fp.sqrt(rhs) });
    const E = P.multiplyUnsafe(Fr.ORDER - 1n).add(P); // r·P without the scalar range check
    if (!E.is0()) return E;
  }
}

function decompressUnchecked(bytes: Uint8Array): Point {
  const x = BigInt('0x' + Buffer.from(bytes).toString('hex')) & ((1n << 381n) - 1n);
  let y = Fp.sqrt(Fp.add(Fp.pow(x, 3n), 4n));
  if (Boolean(bytes[0]! & 0x20) !== y > (Fp.ORDER - 1n) / 2n) y = Fp.neg(y);
  return G1.fromAffine({ x, y });
}

/** Compressed encoding of (point + E), skipping noble's subgroup assertion in toBytes. */
export function withComponent(pointBytes: Uint8Array, E: Point): Uint8Array {
  const { x, y } = decompressUnchecked(pointBytes).add(E).toAffine();
  const out = Buffer.from(x.toString(16).padStart(96, '0'), 'hex');
  out[0] = out[0]! | 0x80 | (y > (Fp.ORDER - 1n) / 2n ? 0x20 : 0);
  return new Uint8Array(out);
}

/** e(ω, G2) = e(T, A2) with no subgroup check at all, as a careless verifier would do it. */
export function barePairingCheck(A2: Uint8Array, T: Uint8Array, receipt: Uint8Array): boolean {
  loadBlst();
  const lhs = millerLoop(new blst.P1_Affine(receipt), blst.G2().to_affine());
  const rhs = millerLoop(new blst.P1_Affine(T).to_jacobian().neg().to_affine(), new blst.P2_Affine(A2));
  return lhs.mul(rhs).final_exp().is_one();
}
