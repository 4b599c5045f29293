/**
 * Sipster protocol core (protocol.md): keys, TokenGen, BillGen, receipts, combined receipt, settlement,
 * and every byte encoding; plus the P1 telegram frame shared by the meter and the bridge (p1/), and encrypted
 * P1 and DLMS push frames (dlms/).
 *
 * Pure: no I/O, no clock, no randomness of its own (randomness is an argument). The heavy operations
 * take an optional CurveBackend; the default is noble, the reference the committed vectors are checked against.
 * @module
 */
export { DecodeError, type DecodeErrorCode } from './errors.js';
export { bytesToHex, hexToBytes } from './bytes.js';
export { G1_BYTES, G2_BYTES, SCALAR_BYTES, Q, scalarFromBytes, scalarToBytes, g1EncodingCheck, g2EncodingCheck } from './curve.js';
export {
  SIG_BYTES,
  P256_PUBLIC_BYTES,
  nobleBackend,
  isCanonicalP256Signature,
  p256PublicKey,
  p256PublicKeyCheck,
  isValidP256SecretKey,
  type CurveBackend,
} from './backend.js';
export { SEED_BYTES, ratchet, tokenScalar, periodMask, hashToScalar } from './hash.js';
export { METER_ID, assertMeterId, tokenMessage, billMessage } from './messages.js';
export {
  newMeterState,
  tokenGen,
  tokenAt,
  billGen,
  closePeriod,
  forgetPrevious,
  loseState,
  type MeterState,
  type PeriodSecrets,
  type Token,
  type Bill,
} from './meter.js';
export { verifyToken, verifyBill, type VerifyTokenOptions } from './signature.js';
export { receiptKeyFromSecret, receiptKeyFromBytes, checkReceiptPublicKey, type ReceiptKey } from './keys.js';
export {
  issueReceipt, receiptChunkSums, receiptChunksMatch, receiptForToken, verifyReceipt, verifyReceiptsBatch, type ReceiptChunkSums, type ReceiptItem,
} from './receipt.js';
export { combineReceipts, verifySettlement, verifySettlementPublic } from './settlement.js';
export * from './p1/index.js';
export * from './dlms/index.js';
export * from './dispute/index.js';
