/**
 * Recovery of a lost or damaged wallet from the seed phrase, the meter's carousel and the UC (docs/engine.md §Recovery).
 * @module
 */
export { openWalletOrSetAside, WRONG_KEY, type OpenedWallet } from './open-wallet.js';
export { Recovery, type RecoveryStep } from './recovery.js';
export { askReceipts, type LookupContext, type LookupRound } from './receipts.js';
