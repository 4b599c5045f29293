/**
 * The utility company's server (issue 4): public API (params, pay, settle), admin API, and the ledger behind them.
 * Start it with `startUc`, or from the command line (`npm run uc`, uc/cli.ts).
 * @module
 */
export { startUc, type UcOptions, type UcServer } from './server.js';
export { HttpError, type HttpErrorCode } from './errors.js';
export { newReceiptKey, readReceiptKeyFile, writeReceiptKeyFile } from './receipt-key-file.js';
export { openLedger, type Ledger, type LedgerLocation } from './ledger/index.js';
export type { ParamsReply, PayBody, PayReply, SettleBody, SettleReply } from './schemas/public.js';
