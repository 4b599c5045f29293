/**
 * What other rooms take from main/host: the Electron shell's engine process reads the same launch options and
 * answers calls the same way as the CLI and the browser host (no twins). The hosts themselves are entry points.
 * @module
 */
export { parseLaunchOptions, LaunchOptionError, type Launch, type LaunchOptionErrorCode, type LaunchSettings } from './launch-options.js';
export { callEngine, type EngineHandle } from './engine-call.js';
export { openEngineOrLocked, type HostedEngine } from './locked.js';
