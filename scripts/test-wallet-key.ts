/**
 * The wallet key of tests, benchmarks, the chaos campaign and the demo's stand-ins: a fixed 32-byte key (no scrypt per
 * start), so a helper can open the engine's encrypted wallet beside it. Never a household's key.
 * @module
 */
import type { WalletUnlock } from '../main/engine/index.js';

export const TEST_WALLET_KEY: Buffer = Buffer.alloc(32, 0x5a);
export const testUnlock: WalletUnlock = { kind: 'key', key: TEST_WALLET_KEY };
