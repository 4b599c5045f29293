/**
 * The headless home engine: the one entry point of main/engine for the CLI, the browser-mode host, the Electron
 * shell and the demo.
 * @module
 */
export { createEngine } from './engine.js';
export type { Engine, EngineOptions } from './engine-types.js';
export { EngineError, toApiError, type EngineErrorCode } from './errors.js';
export { startSocksHop, type SocksHop, type SocksConnect } from './socks-hop/index.js';
export { createLogger, redact, type Logger } from './log.js';
export { cleartextRefusal } from './route/index.js';
/** The words of a key that does not open the wallet: a host waiting for the passphrase tells it apart from a damaged key file. */
export { WRONG_KEY } from './recovery/index.js';
export { FILE_MODE, FOLDER_MODE, KEY_FILE, type WalletUnlock } from './vault/index.js';
/** Reads the meter's public keys (the emulator's `<state>.pub.json`, or the installer's file) for `serial.keys`. */
export { meterKeysFromJson, type MeterKeys } from '../../bridge/index.js';
// The launch options check a network meter's address as the window's choice is checked (one rule).
export { checkMeterChoice } from './choices.js';
