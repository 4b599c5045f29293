export { payDue, type PayerContext, type PayRound } from './payer.js';
export { getParams, payToken, settlePeriod, type UcParams, type PayRequest, type PayAnswer, type SettleRequest, type SettleAnswer } from './uc-client.js';
