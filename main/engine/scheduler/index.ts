export { exponential, secureRandom, seededRandom, truncatedExponential, uniform, type Random } from './random.js';
export {
  assertPolicy, dueTime, isLate, nextSendTime, paymentDeadline, planPeriod, policyForPeriod, settlementTime,
  type PeriodPlan, type TimingPolicy,
} from './timing.js';
export { topUpTime, type TopUpPolicy } from './top-up.js';
