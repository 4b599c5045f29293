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

/** Bound by `loadBlst()`: the native module is loaded on first use, so a platform without a prebuilt binary for its
 * ABI (Electron's, until a release machine builds one) can still load this module and fall back to noble. */
export let blst: BlstWithMillerLoop;

/** Loads the native binding once; throws what `require` throws when there is none for this runtime. */
export function loadBlst(): void {
  blst ??= (createRequire(import.meta.url)('@chainsafe/blst/dist/bindings') as { blst: BlstWithMillerLoop }).blst;
}

/** f(P, Q), the Miller loop without the final exponentiation (multiply several, exponentiate once). */
export const millerLoop = (p: P1_Affine, q: P2_Affine): PT => new blst.PT(p, q);
