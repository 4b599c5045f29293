/**
 * The engine's built-in SOCKS5 hop (loopback only) as a process of its own: prints `{"host","port"}` on one line and
 * runs until SIGTERM. demo-stack.ts `startHopProcess` starts it, so that a benchmark reads its CPU apart from the engine's.
 * @module
 */
import { startSocksHop } from '../main/engine/index.js';

const hop = await startSocksHop();
process.once('SIGTERM', () => void hop.close().then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ host: hop.host, port: hop.port })}\n`);
