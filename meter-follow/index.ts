/**
 * Follow mode (issue 13): the meter emulator driven by a real DSMR meter read through the bridge.
 * @module
 */
export { startFollowMeter, type FollowOptions, type FollowMeter } from './follow.js';
