/**
 * `npm run app:browser -- [--data DIR] [--uc URL] [--mint URL] [--socks HOST:PORT] [--socks-label LABEL]
 * [--serial PATH] [--meter-keys FILE] [--port N]`: the engine in this process, the window in any browser
 * (issue 7's browser mode). The options are the headless CLI's (main/host/cli.ts).
 * Prints the URL to open (it carries the per-launch secret) and runs until interrupted.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine, meterKeysFromJson, toApiError, type EngineOptions } from '../../engine/index.js';
import { startBrowserHost } from './server.js';

type SocksLabel = NonNullable<NonNullable<EngineOptions['socks']>['label']>;
const LABELS: readonly string[] = ['system-tor', 'tor-browser', 'custom', 'demo-hop'] satisfies SocksLabel[];

const { values: v } = parseArgs({
  options: {
    data: { type: 'string', default: './data' }, uc: { type: 'string' }, mint: { type: 'string' }, socks: { type: 'string' },
    'socks-label': { type: 'string', default: 'custom' }, serial: { type: 'string' }, 'meter-keys': { type: 'string' }, port: { type: 'string', default: '0' },
  },
});
const rendererDir = join(import.meta.dirname, '..', '..', '..', 'dist', 'renderer');
if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`no window built in ${rendererDir}: run npm run build:renderer`);
if (!LABELS.includes(v['socks-label'])) throw new Error(`--socks-label must be one of ${LABELS.join(', ')}`);
const [host, port] = v.socks?.split(':') ?? [];
const keys = v['meter-keys'] ? meterKeysFromJson(JSON.parse(readFileSync(v['meter-keys'], 'utf8'))) : undefined;

const engine = await createEngine({
  dataDir: v.data,
  ...(v.uc ? { ucUrl: v.uc } : {}),
  ...(v.mint ? { mintUrl: v.mint } : {}),
  ...(host && port ? { socks: { host, port: Number(port), label: v['socks-label'] as SocksLabel } } : {}),
  ...(v.serial ? { serial: { port: v.serial, ...(keys ? { keys } : {}) } } : {}),
});
const app = await startBrowserHost({ engine: { api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, rendererDir, port: Number(v.port) });
console.log(`Sipster Home is at ${app.url}`);
console.log('Open it in a browser on this computer. Ctrl-C stops the app (payments stop with it).');

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void app.close().then(() => engine.close()).then(() => process.exit(0));
  });
