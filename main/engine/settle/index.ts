export { settleIfReady, settlementView, type SettleContext } from './settle.js';
