/**
 * `npm run mint -- --port 3338 --db ./data/mint.sqlite [--host 127.0.0.1] [--unit sat] [--input-fee-ppk N]
 *   [--fake-pay auto|manual] [--fake-pay-delay-ms N] [--fake-fee-reserve N] [--max-order N]`
 *
 * Starts the mint on the FakeLightning backend (no real money) and stops it cleanly on SIGINT/SIGTERM.
 * In manual mode, pay a quote with
 *   `curl -X POST -H 'content-type: application/json' -d '{}' http://127.0.0.1:3338/admin/mint-quote/<quote>/pay`.
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createMint } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3338' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: './data/mint.sqlite' },
    unit: { type: 'string', default: 'sat' },
    'input-fee-ppk': { type: 'string', default: '0' },
    'max-order': { type: 'string', default: '32' },
    'fake-pay': { type: 'string', default: 'auto' },
    'fake-pay-delay-ms': { type: 'string', default: '0' },
    'fake-fee-reserve': { type: 'string', default: '0' },
  },
  strict: true,
});

function int(name: keyof typeof values): number {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer`);
  return v;
}

const fakePay = values['fake-pay'];
if (fakePay !== 'auto' && fakePay !== 'manual') throw new Error('--fake-pay must be auto or manual');
const dbPath = values.db as string;
if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });

const mint = await createMint({
  dbPath,
  unit: values.unit,
  inputFeePpk: int('input-fee-ppk'),
  maxOrder: int('max-order'),
  fakePay,
  fakePayDelayMs: int('fake-pay-delay-ms'),
  fakeFeeReserve: int('fake-fee-reserve'),
  logger: { level: 'warn' }, // request lines carry quote ids, which are bearer secrets (NUT-04)
});
const url = await mint.listen(int('port'), values.host);
process.stdout.write(`mint listening on ${url} (unit ${mint.unit}, keyset ${mint.keysetId}, FakeLightning ${fakePay})\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void mint.close().then(() => process.exit(0));
  });
}
