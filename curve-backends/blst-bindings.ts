/**
 * blst's SWIG bindings as shipped by @chainsafe/blst 0.2 (CommonJS, prebuilt for Node 20). Their
 * typings omit blst.hpp's two-argument PT constructor, the Miller loop, which is declared here.
 * @module
 */
import { createRequire } from 'node:module';
import type { Blst, P1_Affine, P2_Affine, PT } from '@chainsafe/blst/dist/bindings.js';

export type { P1, P1_Affine, P2_Affine, PT } from '@chainsafe/blst/dist/bindings.js';

interface BlstWithMillerLoop extends Blst {
  PT: Blst['PT'] & { new (p: P1_Affine, q: P2_Affine): PT };
}

export const { blst } = createRequire(import.meta.url)('@chainsafe/blst/dist/bindings') as { blst: BlstWithMillerLoop };

/** f(P, Q), the Miller loop without the final exponentiation (multiply several, exponentiate once). */
export const millerLoop = (p: P1_Affine, q: P2_Affine): PT => new blst.PT(p, q);
