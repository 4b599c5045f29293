/**
 * The wallet (SQLite): tokens, bills, receipts, e-cash proofs, payments, settlements, the pinned UC.
 * @module
 */
export { openWalletDb, deleteMeta, getMeta, setMeta, type Db } from './db.js';
export { migrate, schemaVersion, LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
export * from './coins.js';
export * from './tokens.js';
export * from './bills.js';
export * from './utility.js';
export * from './periods.js';
export { checkInvariants, invariantViolations } from './invariants.js';
export { probeWrite } from './storage.js';
