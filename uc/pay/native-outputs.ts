/**
 * The UC's swap outputs on libsecp256k1 (curve-backends/cashu-secp256k1.ts): what cashu-ts's `OutputData` makes and
 * checks in JavaScript (a random secret, B_ = hash_to_curve(secret) + r·G; for the mint's answer the NUT-12 DLEQ check
 * and C = C_ − r·K), as custom output data for `Wallet.receive`. The JS curve was most of the UC's CPU per payment.
 * Where the addon does not load, `nativeOutputs` answers null and the swap keeps cashu-ts's own outputs.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Amount, CTSError, type HasKeysetKeys, type OutputDataLike, type Proof, type SerializedBlindedSignature } from '@cashu/cashu-ts';
import { blindMessage, dleqHolds, secp256k1AddonOrNull, unblind, type Secp256k1Addon } from '../../curve-backends/index.js';

const HEX64 = /^[0-9a-f]{64}$/i;

/** One output: the secret is the UTF-8 of 64 random hex digits, as cashu-ts's random outputs. */
export class NativeOutput implements OutputDataLike {
  readonly blindedMessage: { amount: Amount; B_: string; id: string };

  constructor(
    private readonly lib: Secp256k1Addon,
    amount: Amount,
    keysetId: string,
    readonly secret: Uint8Array,
    private readonly r: Uint8Array,
  ) {
    this.blindedMessage = { amount, B_: Buffer.from(blindMessage(lib, secret, r)).toString('hex'), id: keysetId };
  }

  get blindingFactor(): bigint {
    return BigInt(`0x${Buffer.from(this.r).toString('hex')}`);
  }

  /** The proof of the mint's signature on this output, its DLEQ proof checked when the mint gives one. */
  toProof = (sig: SerializedBlindedSignature, keyset: HasKeysetKeys): Proof => {
    if (sig == null) throw new CTSError('Mint response is missing a signature for one of the outputs');
    const Khex = keyset.keys[sig.amount.toString()];
    if (!Khex) throw new CTSError(`the keyset has no key for amount ${sig.amount.toString()}`);
    const K = Buffer.from(Khex, 'hex');
    const C_ = Buffer.from(sig.C_, 'hex');
    const rHex = Buffer.from(this.r).toString('hex');
    let C: Uint8Array;
    try {
      if (sig.dleq) {
        if (!HEX64.test(sig.dleq.e) || !HEX64.test(sig.dleq.s)) throw new CTSError('DLEQ verification failed on mint response');
        const B_ = Buffer.from(this.blindedMessage.B_, 'hex');
        if (!dleqHolds(this.lib, B_, C_, K, Buffer.from(sig.dleq.e, 'hex'), Buffer.from(sig.dleq.s, 'hex'))) {
          throw new CTSError('DLEQ verification failed on mint response');
        }
      }
      C = unblind(this.lib, C_, this.r, K);
    } catch (err) {
      if (err instanceof CTSError) throw err;
      throw new CTSError('the mint answered a point off the curve', { cause: err });
    }
    return {
      id: sig.id,
      amount: sig.amount,
      C: Buffer.from(C).toString('hex'),
      secret: new TextDecoder().decode(this.secret),
      ...(sig.dleq && { dleq: { s: sig.dleq.s, e: sig.dleq.e, r: rHex } }),
    };
  };
}

/** Random outputs of these amounts for `keysetId`, or null where the addon does not load. */
export function nativeOutputs(amounts: readonly Amount[], keysetId: string): OutputDataLike[] | null {
  const addon = secp256k1AddonOrNull();
  if (!addon) return null;
  return amounts.map((amount) => {
    const secret = Buffer.from(randomBytes(32).toString('hex'));
    return new NativeOutput(addon, amount, keysetId, secret, randomScalar(addon));
  });
}

/** A uniformly random r in [1, n): 32 random bytes, drawn again in the ~2⁻¹²⁸ case they are not a scalar. */
function randomScalar(addon: Secp256k1Addon): Uint8Array {
  for (;;) {
    const r = randomBytes(32);
    if (addon.privateKeyVerify(r)) return r;
  }
}

