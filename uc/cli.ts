/**
 * `npm run uc -- [options]` starts the UC; `npm run uc -- keygen [--key path]` makes its receipt key.
 * The ledger is SQLite (--db) unless DATABASE_URL names a PostgreSQL database. The admin token comes from
 * UC_ADMIN_TOKEN or the token file (made, 0600, on first start). Prints one JSON line `{url, adminUrl}` once listening.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { bytesToHex } from '../protocol/index.js';
import { Value } from '@sinclair/typebox/value';
import { readReceiptKeyFile, writeReceiptKeyFile } from './receipt-key-file.js';
import { assertOwnerOnly } from './ledger/owner-only-file.js';
import { Tariff } from './schemas/public.js';
import { startUc } from './server.js';

const USAGE = `usage: npm run uc -- [--port 8080] [--admin-port 8081] [--host 127.0.0.1] [--admin-host 127.0.0.1]
                     [--db ./data/uc.sqlite] [--mint http://127.0.0.1:3338] [--unit sat] [--key ./data/uc.key]
                     [--admin-token-file ./data/uc-admin.token] [--tariff tariff.json] [--quiet]
       npm run uc -- keygen [--key ./data/uc.key]
env: DATABASE_URL (PostgreSQL ledger instead of SQLite), UC_ADMIN_TOKEN (instead of the token file)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8080' },
    'admin-port': { type: 'string', default: '8081' },
    host: { type: 'string', default: '127.0.0.1' },
    'admin-host': { type: 'string', default: '127.0.0.1' },
    db: { type: 'string', default: './data/uc.sqlite' },
    mint: { type: 'string', default: 'http://127.0.0.1:3338' },
    unit: { type: 'string', default: 'sat' },
    key: { type: 'string', default: './data/uc.key' },
    'admin-token-file': { type: 'string', default: './data/uc-admin.token' },
    tariff: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function port(name: string, s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number`);
  return n;
}

/** `--tariff FILE`: {currency, tokenValue, perKWh[]} as JSON, published in /v1/params. */
function readTariff(path: string): Tariff {
  const t: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Value.Check(Tariff, t)) throw new Error(`--tariff: ${path} is not {"currency": "EUR", "tokenValue": 0.1, "perKWh": [0.22, 0.3]}`);
  return t;
}

function adminToken(path: string): string {
  if (process.env.UC_ADMIN_TOKEN) return process.env.UC_ADMIN_TOKEN;
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytesToHex(randomBytes(32)) + '\n', { mode: 0o600, flag: 'wx' });
    console.error(`uc: admin token written to ${path}`);
  }
  assertOwnerOnly(path, 'admin token file');
  return readFileSync(path, 'utf8').trim();
}

async function main(): Promise<void> {
  if (values.help) return console.log(USAGE);
  if (positionals[0] === 'keygen') {
    mkdirSync(dirname(values.key), { recursive: true });
    writeReceiptKeyFile(values.key);
    return console.error(`uc: receipt key written to ${values.key} (mode 0600)`);
  }
  if (positionals.length) throw new Error(`unknown command ${positionals[0]}\n${USAGE}`);
  if (!existsSync(values.key)) throw new Error(`no receipt key at ${values.key}: run \`npm run uc -- keygen --key ${values.key}\` first`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) mkdirSync(dirname(values.db), { recursive: true });
  const uc = await startUc({
    ledger: databaseUrl ? { postgres: databaseUrl } : { sqlite: values.db },
    receiptKey: readReceiptKeyFile(values.key),
    mint: { url: values.mint, unit: values.unit },
    ...(values.tariff ? { tariff: readTariff(values.tariff) } : {}),
    adminToken: adminToken(values['admin-token-file']),
    host: values.host,
    port: port('port', values.port),
    adminHost: values['admin-host'],
    adminPort: port('admin-port', values['admin-port']),
    logger: values.quiet ? false : { level: 'info' },
  });
  console.log(JSON.stringify({ url: uc.url, adminUrl: uc.adminUrl }));
  const stop = () => void uc.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`uc: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
