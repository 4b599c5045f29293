/**
 * Faster implementations of protocol/'s CurveBackend, chosen per process (issue 2, docs/performance.md):
 * native blst + node:crypto for the UC and wherever Node runs; noble (protocol/) stays the reference. And Cashu's
 * secp256k1 scheme on libsecp256k1 (cashu-secp256k1.ts) for the mint, the UC's swap outputs and the seed scan. And
 * the household's batch receipt check (receipt-pool.ts) with our own addon over blst's C library (native/) where built.
 * @module
 */
import { type CurveBackend, nobleBackend } from '../protocol/index.js';
import { blstBackend } from './blst.js';

export { blstBackend } from './blst.js';
export { nodeP256Sign, nodeP256Verify } from './node-p256.js';
export {
  blindMessage, dleqHolds, hashE, hashToCurve, multiplySecret, secp256k1Addon, secp256k1AddonOrNull, unblind, type Secp256k1Addon, type Secp256k1Points,
} from './cashu-secp256k1.js';
export { POOL_MIN_BATCH, receiptCheckPool, type PoolOptions, type ReceiptCheckPool } from './receipt-pool.js';
export { receiptSumsAddon, receiptSumsAddonOrNull, type ReceiptSumsAddon } from './native/receipt-sums.js';

let fastest: CurveBackend | undefined;

/**
 * The fastest backend measured on this platform (docs/performance.md): native blst where its binary loads, else
 * noble (same results, ~15× slower), e.g. in Electron before blst is built for Electron's ABI.
 */
export function fastestBackend(): CurveBackend {
  if (fastest) return fastest;
  try {
    fastest = blstBackend();
  } catch {
    fastest = nobleBackend;
  }
  return fastest;
}
