/**
 * The software smart meter (issue 3): household load, time-of-use tariff, TokenGen/BillGen on constant
 * state, carousel, DSMR 5 telegrams paced at the line speed. Output only: in follow mode (issue 13) the readings of a
 * real meter are handed to it (meter-follow/ reads them), and it prices their registers' increase instead.
 * @module
 */
export { startMeter, type MeterOptions, type MeterPublicKeys, type RunningMeter } from './meter.js';
export { MeterCore, type MeterConfig, type TelegramStats } from './meter-core.js';
export { Household, DEFAULT_TARIFF, tariffAt, seededRandom, type Tariff } from './household.js';
export { PacedWriter, type ByteSink, type LineClock } from './paced-port.js';
export { loadRecord, saveRecord, type MeterRecord } from './state-file.js';
export { checkFollowed, followedReading, type FollowedReading, type FollowRefusal, type FollowRefusalCode } from './follow-check.js';
export { MeterError, type MeterErrorCode } from './errors.js';
