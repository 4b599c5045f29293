/**
 * `npm run mint -- [options]` (`--help` lists them): the mint on the FakeLightning backend (no real money), stopped
 * cleanly by SIGINT/SIGTERM. Manual mode (the default) pays a quote only for the holder of the admin token:
 *   `curl -X POST -H "authorization: Bearer $(cat data/mint-admin.token)" -H 'content-type: application/json' \
 *      -d '{}' http://127.0.0.1:3338/admin/mint-quote/<quote>/pay`
 * Auto mode (every invoice pays itself) is for the one-command demo only and needs `--demo`.
 * @module
 */
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readAdminTokenFile } from './files.js';
import { createMint, FAKE_NETWORKS, type FakeNetwork } from './index.js';

const USAGE = `usage: npm run mint -- [options]

A Cashu mint for Sipster Home's demo and tests. Lightning is FakeLightning: no real money moves.

  --port N                      port to listen on (default 3338; 0 picks a free one)
  --host ADDR                   address to listen on (default 127.0.0.1)
  --db FILE                     SQLite ledger, holding the master seed (default ./data/mint.sqlite, made 0600 in a
                                0700 folder, refused if others can read it; :memory: for a throw-away mint)
  --unit UNIT                   the keyset's unit (default sat)
  --input-fee-ppk N             NUT-02 input fee, parts per thousand per input (default 0)
  --max-order N                 keyset amounts 1, 2, 4, ... 2^(N-1) (default 32)
  --fake-pay manual|auto        manual (default): a mint quote is paid only by the admin call, which needs the admin
                                token; auto: every mint quote pays itself (with --demo only; auto is the demo's default)
  --admin-token-file FILE       manual: the admin token (default mint-admin.token beside --db; made 0600 if missing)
  --demo                        the one-command demo: allows --fake-pay auto
  --fake-pay-delay-ms N         auto: a mint quote is paid N ms after it is made (default 0)
  --fake-network NET            invoices for ${Object.entries(FAKE_NETWORKS).map(([k, v]) => `${k} (ln${v})`).join(', ')} (default regtest)
  --fake-fee-reserve N          smallest fee reserve quoted on a melt (default 2)
  --fake-fee-reserve-percent P  fee reserve as a percentage of the amount, where that is more (default 1)
  --fake-routing-fee N          routing fee each melt spends, at most its reserve; the rest is change (default 1)
  --fake-melt-delay-ms N        a melt's payment takes N ms (default 0)
  --dleq omit|forge             TESTS ONLY: send blind signatures without their DLEQ proof, or with a wrong one
  -h, --help                    this text
`;

const options = {
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string', default: '3338' },
  host: { type: 'string', default: '127.0.0.1' },
  db: { type: 'string', default: './data/mint.sqlite' },
  unit: { type: 'string', default: 'sat' },
  'input-fee-ppk': { type: 'string', default: '0' },
  'max-order': { type: 'string', default: '32' },
  'fake-pay': { type: 'string' },
  'admin-token-file': { type: 'string' },
  demo: { type: 'boolean', default: false },
  'fake-pay-delay-ms': { type: 'string', default: '0' },
  'fake-network': { type: 'string', default: 'regtest' },
  'fake-fee-reserve': { type: 'string', default: '2' },
  'fake-fee-reserve-percent': { type: 'string', default: '1' },
  'fake-routing-fee': { type: 'string', default: '1' },
  'fake-melt-delay-ms': { type: 'string', default: '0' },
  dleq: { type: 'string' },
} as const;

function parse() {
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (err) {
    return fail((err as Error).message); // ERR_PARSE_ARGS_UNKNOWN_OPTION and the like: say which, then how
  }
}
const values = parse();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function num(name: keyof typeof options, { integer = true } = {}): number {
  const v = Number(values[name]);
  if (!(integer ? Number.isInteger(v) : Number.isFinite(v)) || v < 0) fail(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}`);
  return v;
}

const fakePay = values['fake-pay'] ?? (values.demo ? 'auto' : 'manual');
if (fakePay !== 'auto' && fakePay !== 'manual') fail('--fake-pay must be manual or auto');
if (fakePay === 'auto' && !values.demo) fail('--fake-pay auto pays every invoice by itself: it is for the demo only, add --demo');
const network = values['fake-network'] as string;
if (!Object.hasOwn(FAKE_NETWORKS, network)) fail(`--fake-network must be one of ${Object.keys(FAKE_NETWORKS).join(', ')}`);
const dleq = values.dleq;
if (dleq !== undefined && dleq !== 'omit' && dleq !== 'forge') fail('--dleq must be omit or forge');
const dbPath = values.db as string;
let adminTokenFile = values['admin-token-file'];
if (fakePay === 'manual' && adminTokenFile === undefined) {
  if (dbPath === ':memory:') fail('--fake-pay manual with --db :memory: needs --admin-token-file FILE');
  adminTokenFile = join(dirname(dbPath), 'mint-admin.token');
}

/** A file others can read, or a folder that cannot be made: said plainly, exit 1 (not a usage error). */
function refuse(err: unknown): never {
  process.stderr.write(`mint: ${(err as Error).message}\n`);
  process.exit(1);
}

const adminToken = adminTokenFile === undefined ? undefined : (() => {
  try {
    return readAdminTokenFile(adminTokenFile);
  } catch (err) {
    return refuse(err);
  }
})();

const mint = await createMint({
  dbPath,
  unit: values.unit,
  inputFeePpk: num('input-fee-ppk'),
  maxOrder: num('max-order'),
  fakePay,
  ...(adminToken === undefined ? {} : { adminToken }),
  fakePayDelayMs: num('fake-pay-delay-ms'),
  fakeNetwork: network as FakeNetwork,
  fakeFeeReserve: num('fake-fee-reserve'),
  fakeFeeReservePercent: num('fake-fee-reserve-percent', { integer: false }),
  fakeRoutingFee: num('fake-routing-fee'),
  fakeMeltDelayMs: num('fake-melt-delay-ms'),
  ...(dleq === undefined ? {} : { dleqTestMode: dleq }),
  logger: { level: 'warn' }, // request lines carry quote ids, which are bearer secrets (NUT-04)
}).catch(refuse);
const url = await mint.listen(num('port'), values.host);
process.stdout.write(`mint listening on ${url} (unit ${mint.unit}, keyset ${mint.keysetId}, FakeLightning ${fakePay}${adminTokenFile === undefined ? '' : ` (admin token in ${adminTokenFile})`}, ${network}${dleq ? `, DLEQ ${dleq} (a test mode: a dishonest mint)` : ''})\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void mint.close().then(() => process.exit(0));
  });
}
