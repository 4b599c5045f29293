/**
 * The servers of the demo and the engine's tests, on loopback: the mint, the UC (with the demo meter's set and
 * bill keys registered and its periods opened), and the built-in SOCKS5 hop: in this process (`startServers`, for
 * tests and benchmarks), or the mint and the UC as their own processes (`startServerProcesses`, for the demo).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSocksHop, type SocksHop } from '../main/engine/index.js';
import { DEFAULT_TARIFF } from '../meter-emulator/index.js';
import { createMint, type Mint, type MintOptions } from '../mint/index.js';
import { readReceiptKeyFile, startUc, writeReceiptKeyFile, type UcServer } from '../uc/index.js';

/** What the demo's utility publishes in /v1/params: the emulator's prices (a token is 0.10; 0.22 low, 0.30 normal per kWh). */
export const DEMO_TARIFF = { currency: 'EUR', tokenValue: 0.1, perKWh: [DEFAULT_TARIFF.lowPerKwh / 1e6, DEFAULT_TARIFF.normalPerKwh / 1e6] };

export interface MeterKeysHex {
  meter: string;
  set: number;
  setPublicKey: string;
  billPublicKey: string;
}

/** One admin call to the UC (bearer token), failing loudly. */
export async function ucAdmin(adminUrl: string, token: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<void> {
  const res = await fetch(new URL(path, adminUrl), {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok && res.status !== 409) throw new Error(`UC admin ${method} ${path}: ${res.status} ${await res.text()}`);
}

/** Registers the meter's set and bill keys and opens `periods` (the UC only takes payments for open periods). */
export async function registerMeter(adminUrl: string, token: string, keys: MeterKeysHex, periods: readonly number[]): Promise<void> {
  await ucAdmin(adminUrl, token, 'POST', '/admin/v1/sets', { set: keys.set, tokenPublicKey: keys.setPublicKey });
  await ucAdmin(adminUrl, token, 'POST', '/admin/v1/meters', { meter: keys.meter, billPublicKey: keys.billPublicKey, set: keys.set });
  for (const p of periods) await ucAdmin(adminUrl, token, 'PUT', `/admin/v1/periods/${p}`, { state: 'open' });
}

export interface Servers {
  mint: Mint;
  mintUrl: string;
  uc: UcServer;
  adminToken: string;
  hop: SocksHop;
  /** Stops the UC and starts it again on the same port, key and ledger (a restart mid-period). */
  restartUc(down?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Mint (`mintOptions`: e.g. manual payment), UC and SOCKS hop in this process, their databases and the UC's receipt key in `dir` (kept across runs). */
export async function startServers(dir: string, mintOptions: Omit<MintOptions, 'dbPath'> = {}): Promise<Servers> {
  const keyFile = join(dir, 'uc.key');
  const receiptKey = existsSync(keyFile) ? readReceiptKeyFile(keyFile) : writeReceiptKeyFile(keyFile);
  const mint = await createMint({ dbPath: join(dir, 'mint.sqlite'), ...mintOptions });
  const mintUrl = await mint.listen(0, '127.0.0.1');
  const adminToken = randomBytes(16).toString('hex');
  const ucOptions = { ledger: { sqlite: join(dir, 'uc.sqlite') }, receiptKey, mint: { url: mintUrl, unit: mint.unit }, tariff: DEMO_TARIFF, adminToken, port: 0, adminPort: 0 };
  const uc = await startUc(ucOptions);
  const hop = await startSocksHop();
  const servers: Servers = {
    mint, mintUrl, uc, adminToken, hop,
    restartUc: async (down = async () => {}) => {
      const { port } = new URL(servers.uc.url);
      await servers.uc.close();
      await down();
      servers.uc = await startUc({ ...ucOptions, port: Number(port) });
    },
    close: async () => { await hop.close(); await servers.uc.close(); await mint.close(); },
  };
  return servers;
}

/** The parts of the stack the demo talks to, whether in this process or in child processes. */
export interface StackEndpoints {
  ucUrl: string;
  adminUrl: string;
  adminToken: string;
  hop: SocksHop;
  /** The mint's and the UC's process ids (a benchmark reads each one's CPU time from /proc). */
  pids: { mint: number; uc: number };
  close(): Promise<void>;
}

/** Starts `npm run <cli>`'s file as a child process and waits for the first stdout line matching `ready`. */
function startChild(file: string, args: string[], ready: RegExp, env: Record<string, string> = {}, output?: (text: string) => void): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const orphan = () => child.kill('SIGTERM'); // whatever way this process ends, the server ends with it
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); output?.(d.toString()); });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      output?.(d.toString());
      out += d.toString();
      const m = out.match(ready);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready: ${err}`)));
  });
}

const stopChild = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null ? Promise.resolve() : new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });

/**
 * The mint and the UC as their own processes (`npm run mint`, `npm run uc`), the SOCKS hop here; state in `dir`.
 * `mintFront` may put a relay before the mint (given the mint's URL, it answers the URL the UC and wallets use).
 * `output` gets everything both processes print; with it the UC logs (info level) instead of running quiet.
 * `mintArgs`: more arguments for the mint (the privacy audit's `--dleq forge`).
 */
export async function startServerProcesses(dir: string, o: {
  mintFront?: (mintUrl: string) => Promise<string>;
  output?: (process: 'mint' | 'uc', text: string) => void;
  mintArgs?: readonly string[];
} = {}): Promise<StackEndpoints> {
  const root = join(import.meta.dirname, '..');
  const keyFile = join(dir, 'uc.key');
  if (!existsSync(keyFile)) writeReceiptKeyFile(keyFile);
  // The mint keeps its port across runs on one folder: the engine pins the mint the utility names (mint-changed), so a
  // run that continues a wallet must name the same mint as the run before it.
  const portFile = join(dir, 'mint.port');
  const mintPort = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '0';
  const mint = await startChild(join(root, 'mint/cli.ts'), ['--port', mintPort, '--db', join(dir, 'mint.sqlite'), '--demo', ...(o.mintArgs ?? [])], /mint listening on (\S+) \(unit (\w+)/, {},
    o.output && ((t) => o.output!('mint', t)));
  const [, mintDirect, unit] = mint.match;
  writeFileSync(portFile, new URL(mintDirect!).port);
  const mintUrl = o.mintFront ? await o.mintFront(mintDirect!) : mintDirect;
  const adminToken = randomBytes(16).toString('hex');
  const tariffFile = join(dir, 'uc-tariff.json');
  writeFileSync(tariffFile, JSON.stringify(DEMO_TARIFF));
  let uc;
  try {
    uc = await startChild(join(root, 'uc/cli.ts'),
      ['--port', '0', '--admin-port', '0', '--db', join(dir, 'uc.sqlite'), '--mint', mintUrl!, '--unit', unit!, '--key', keyFile, '--tariff', tariffFile, ...(o.output ? [] : ['--quiet'])],
      /^(\{"url":.*\})$/m, { UC_ADMIN_TOKEN: adminToken }, o.output && ((t) => o.output!('uc', t)));
  } catch (e) {
    await stopChild(mint.child);
    throw e;
  }
  const { url, adminUrl } = JSON.parse(uc.match[1]!) as { url: string; adminUrl: string };
  const hop = await startSocksHop();
  return {
    ucUrl: url, adminUrl, adminToken, hop, pids: { mint: mint.child.pid!, uc: uc.child.pid! },
    close: async () => { await hop.close(); await stopChild(uc.child); await stopChild(mint.child); },
  };
}

/** The SOCKS hop as its own process (scripts/socks-hop.ts), so that its CPU time is its own (bench:restore). */
export async function startHopProcess(): Promise<{ host: string; port: number; pid: number; close(): Promise<void> }> {
  const { child, match } = await startChild(join(import.meta.dirname, 'socks-hop.ts'), [], /^(\{"host":.*\})$/m);
  const { host, port } = JSON.parse(match[1]!) as { host: string; port: number };
  return { host, port, pid: child.pid!, close: () => stopChild(child) };
}
