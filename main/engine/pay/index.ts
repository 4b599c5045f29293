export { badReceipts, payDue, type PayerContext, type PayRound } from './payer.js';
export { fetchReceipt, getMeterBillKey, getParams, payToken, settlePeriod, type UcParams, type PayRequest, type PayAnswer, type SettleRequest, type SettleAnswer } from './uc-client.js';
export { payPaced, type Pacer } from './paced.js';
