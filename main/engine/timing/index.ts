export { PeriodCalendar } from './calendar.js';
export { DEFAULT_BILLING, PaymentTiming, type Billing, type PaymentTimingOptions } from './payment-timing.js';
