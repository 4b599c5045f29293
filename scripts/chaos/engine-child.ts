/**
 * The home engine as the chaos campaign runs it: what `npm run engine -- run --json` does (events as JSON lines on
 * stdout, a clean close on SIGTERM), with the two options the CLI does not take: the billing calendar scaled like
 * the meter's accelerated clock and automatic top-ups, and the tests' pay delay (`payDelayMaxMs`: each token paid
 * within that many ms, as the demo does; the timing policy's own pace is far slower than an accelerated meter).
 * Argument: one JSON object, EngineOptions' plain fields plus `serialPort`, `meterKeysFile` and `payDelayMaxMs`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createEngine, type EngineOptions, meterKeysFromJson } from '../../main/engine/index.js';
import { testUnlock } from '../test-wallet-key.js';

const { serialPort, meterKeysFile, payDelayMaxMs, ...o } = JSON.parse(process.argv[2]!) as EngineOptions & { serialPort: string; meterKeysFile: string; payDelayMaxMs?: number };
const engine = await createEngine({
    unlock: testUnlock,
  ...o, serial: { port: serialPort, keys: meterKeysFromJson(JSON.parse(readFileSync(meterKeysFile, 'utf8'))) },
  ...(payDelayMaxMs !== undefined ? { payDelayMs: () => Math.floor(Math.random() * payDelayMaxMs) } : {}),
});
engine.onEvent((e) => { if (e.kind !== 'reading') process.stdout.write(`${JSON.stringify(e)}\n`); });
const stop = () => void engine.close().then(() => process.exit(0));
process.once('SIGTERM', stop).once('SIGINT', stop);
