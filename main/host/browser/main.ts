/**
 * `npm run app:browser -- [options] [--port N]`: the engine in this process, the window in any browser (issue 7's
 * browser mode). The options are every host's (main/host/launch-options.ts), --meter-keys included.
 * Prints the URL to open (it carries the per-launch secret) and runs until interrupted. Without the wallet's key the
 * window asks for its passphrase (main/host/locked.ts).
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { toApiError } from '../../engine/index.js';
import { LaunchOptionError, parseLaunchOptions, type Launch } from '../launch-options.js';
import { openEngineOrLocked } from '../locked.js';
import { startBrowserHost } from './server.js';

process.umask(0o077); // whatever this process or its tor creates in the data folder is the user's alone
let launch: Launch;
try {
  launch = parseLaunchOptions(process.argv.slice(2), { defaultDataDir: './data', port: true });
} catch (e) {
  if (!(e instanceof LaunchOptionError)) throw e;
  console.error(`bad-request: ${e.message}`);
  process.exit(2);
}
const rendererDir = join(import.meta.dirname, '..', '..', '..', 'dist', 'renderer');
if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`no window built in ${rendererDir}: run npm run build:renderer`);

// No key (no --passphrase-file, no keychain): the window asks for the passphrase (main/host/locked.ts). A wrong
// --passphrase-file or a busy folder: said in words, nothing started.
const served = await openEngineOrLocked(launch.engine).catch((e: unknown) => {
  const { code, message } = toApiError(e);
  console.error(`${code}: ${message}`);
  process.exit(1);
});
const app = await startBrowserHost({ engine: served, rendererDir, port: launch.port });
console.log(`Sipster Home is at ${app.url}`);
console.log('Open it in a browser on this computer. Ctrl-C stops the app (payments stop with it).');

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void app.close().then(() => served.close()).then(() => process.exit(0));
  });
