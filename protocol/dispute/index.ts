/** A period's evidence for a dispute and the checks anyone runs on it (docs/dispute.md). */
export {
  EVIDENCE_FORMAT, EVIDENCE_VERSION, decodeEvidence, encodeEvidence, receiptKeyFingerprint, type DecodedEvidence, type DisputeEvidence,
} from './evidence.js';
export { verifyEvidence, type CheckName, type CheckResult, type Verdict } from './verify.js';
