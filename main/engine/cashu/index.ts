export { EcashWallet, type EcashWalletOptions, type RestoreResult, type RestoreScan } from './ecash-wallet.js';
export { ensureSeedPhrase, takeSeedPhrase, isValidSeedPhrase, bip39Seed } from './seed-phrase.js';
export { SqliteCounterSource } from './counter-source.js';
export { mintRequest } from './mint-request.js';
export { TopUpFollower, openTopUps, topUpAmounts, waitingTopUp, type QuoteState } from './top-up.js';
export { receiveEcash } from './receive.js';
export { quoteWithdraw, withdraw } from './melt.js';
