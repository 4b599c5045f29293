/**
 * npm run tor:network -- start [--dir DIR] [--exits N]   start the private Tor network, print its ports as JSON
 * npm run tor:network -- stop [--dir DIR]                stop it (only the PIDs it started, and only if still tor)
 * @module
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPrivateTorNetwork, stopPrivateTorNetwork } from './index.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: 'string', default: join(tmpdir(), 'sipster-tor-network') }, exits: { type: 'string', default: '2' } },
});
const log = (line: string) => process.stderr.write(`[tor-network] ${line}\n`);

switch (positionals[0]) {
  case 'start': {
    await stopPrivateTorNetwork(values.dir); // a network left from before holds ports and a stale state file
    const net = await startPrivateTorNetwork({ dir: values.dir, exits: Number(values.exits), detached: true, log });
    const { stop: _, clientTorrc: __, ...shown } = net;
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    break;
  }
  case 'stop':
    log(`stopped ${await stopPrivateTorNetwork(values.dir)} tor processes`);
    break;
  default:
    process.stderr.write('usage: npm run tor:network -- start|stop [--dir DIR] [--exits N]\n');
    process.exitCode = 2;
}
