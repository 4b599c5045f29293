/**
 * A UC world for tests and benchmarks: a real mint (mint/) and a real UC (uc/) on loopback, a set and meters
 * registered, a period open; and a household side that mints 1-unit coins with the real cashu-ts wallet, makes
 * tokens and bills with protocol/, and talks HTTP to the UC as the app does.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { getDecodedToken, getEncodedToken, Wallet, type Proof } from '@cashu/cashu-ts';
import { blstBackend } from '../curve-backends/index.js';
import { createMint, type Mint, type MintOptions } from '../mint/index.js';
import {
  billGen, bytesToHex, combineReceipts, hexToBytes, isValidP256SecretKey, newMeterState, p256PublicKey, tokenGen,
  type MeterState, type Token,
} from '../protocol/index.js';
import { newReceiptKey, startUc, type LedgerLocation, type UcOptions, type UcServer } from '../uc/index.js';

export const backend = blstBackend();

export function p256SecretKey(): Uint8Array {
  for (;;) {
    const k = randomBytes(32);
    if (isValidP256SecretKey(k)) return new Uint8Array(k);
  }
}

export interface Reply { status: number; body: any }

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch { /* CSV and other text stay text */ }
  return { status: res.status, body: parsed };
}

/** Mints `n` coins of amount 1 and encodes each as its own cashuB token string. */
export async function mintCoins(wallet: Wallet, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let done = 0; done < n; ) {
    const k = Math.min(n - done, 500);
    const quote = await wallet.createMintQuoteBolt11(k);
    const proofs: Proof[] = await wallet.mintProofsBolt11(k, quote, undefined, { type: 'random', denominations: Array(k).fill(1) });
    for (const p of proofs) out.push(getEncodedToken({ mint: wallet.mint.mintUrl, unit: 'sat', proofs: [p] }));
    done += k;
  }
  return out;
}

/**
 * Poisoned coins, as an attacker sends them: `spent` coins of 1 the wallet has already swapped away, and `forged`
 * ones, each a genuine coin's secret with another coin's signature C (a valid point, not the mint's signature on it).
 */
export async function poisonedCoins(wallet: Wallet, n: number): Promise<{ spent: string[]; forged: string[] }> {
  const coins = await mintCoins(wallet, 2 * n + 1);
  const proofs = coins.map((c) => getDecodedToken(c, wallet.keyChain.getAllKeysetIds()).proofs[0]!);
  const spent = coins.slice(0, n);
  await wallet.receive(proofs.slice(0, n));
  const forged = proofs.slice(n, 2 * n).map((p, i) =>
    getEncodedToken({ mint: wallet.mint.mintUrl, unit: 'sat', proofs: [{ ...p, C: proofs[n + i + 1]!.C, dleq: undefined }] }));
  return { spent, forged };
}

/** A meter of the fixture's set, with its keys; `tokens(k)` advances it as TokenGen does. */
export class TestMeter {
  state: MeterState;
  constructor(readonly id: string, readonly set: number, period: number, readonly setSecretKey: Uint8Array, readonly billSecretKey: Uint8Array) {
    this.state = newMeterState(id, set, period, randomBytes(32));
  }
  tokens(k: number): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < k; i++) {
      const r = tokenGen(this.state, this.setSecretKey, backend);
      this.state = r.state;
      out.push(r.token);
    }
    return out;
  }
  /** The settle request body for the current period, combining `receipts` (hex) as the household does. */
  settleBody(receipts: string[], A1hex: string): Record<string, unknown> {
    const { bill, mask } = billGen(this.state, this.state.period, this.billSecretKey, backend);
    const combined = combineReceipts(receipts.map((r) => hexToBytes(r, 48)), mask, hexToBytes(A1hex, 48), backend);
    return { meter: bill.meter, period: bill.period, fault: bill.fault, bill: bytesToHex(bill.R), billSignature: bytesToHex(bill.sig), combined: bytesToHex(combined) };
  }
}

export const payBody = (t: Token, coin: string) => ({
  set: t.set, period: t.period, token: bytesToHex(t.T), signature: bytesToHex(t.sig), coin,
});

export interface UcWorld {
  mint: Mint;
  mintUrl: string;
  uc: UcServer;
  wallet: Wallet;
  adminToken: string;
  set: number;
  period: number;
  setSecretKey: Uint8Array;
  admin(method: string, path: string, body?: unknown): Promise<Reply>;
  pay(body: unknown): Promise<Reply>;
  /** Registers a new meter of the set and answers it. */
  meter(id: string): Promise<TestMeter>;
  close(): Promise<void>;
}

export async function startUcWorld(opts: {
  ledger: LedgerLocation;
  mint?: Partial<MintOptions>;
  uc?: Partial<UcOptions>;
}): Promise<UcWorld> {
  const mint = await createMint({ dbPath: ':memory:', ...opts.mint });
  const mintUrl = await mint.listen(0, '127.0.0.1');
  const adminToken = bytesToHex(randomBytes(16));
  let uc: UcServer;
  try {
    uc = await startUc({ ledger: opts.ledger, receiptKey: newReceiptKey(), mint: { url: mintUrl, unit: mint.unit }, adminToken, ...opts.uc });
  } catch (err) {
    await mint.close();
    throw err;
  }
  const admin = (method: string, path: string, body?: unknown) => call(uc.adminUrl, method, path, body, { authorization: `Bearer ${adminToken}` });
  const setSecretKey = p256SecretKey();
  const set = 1;
  const period = 100;
  const ok = (r: Reply) => {
    if (r.status >= 300) throw new Error(`admin call failed: ${JSON.stringify(r.body)}`);
  };
  ok(await admin('POST', '/admin/v1/sets', { set, tokenPublicKey: bytesToHex(p256PublicKey(setSecretKey)) }));
  ok(await admin('PUT', `/admin/v1/periods/${period}`, { state: 'open' }));
  const wallet = new Wallet(mintUrl, { unit: mint.unit });
  await wallet.loadMint();
  return {
    mint, mintUrl, uc, wallet, adminToken, set, period, setSecretKey, admin,
    pay: (body) => call(uc.url, 'POST', '/v1/pay', body),
    meter: async (id) => {
      const billSecretKey = p256SecretKey();
      ok(await admin('POST', '/admin/v1/meters', { meter: id, billPublicKey: bytesToHex(p256PublicKey(billSecretKey)), set }));
      return new TestMeter(id, set, period, setSecretKey, billSecretKey);
    },
    close: async () => {
      await uc.close();
      await mint.close();
    },
  };
}

export interface UcProcess { url: string; adminUrl: string; pid: number; stop(): Promise<void> }

/** Starts `uc/cli.ts` as its own process (ports picked by the OS) and waits for its `{url, adminUrl}` line. */
export async function spawnUc(args: string[], env: Record<string, string>): Promise<UcProcess> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'uc/cli.ts', '--port', '0', '--admin-port', '0', '--quiet', ...args], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void exited.then(() => reject(new Error(`uc process exited before listening:\n${err}`)));
  });
  const { url, adminUrl } = JSON.parse(line) as { url: string; adminUrl: string };
  return {
    url,
    adminUrl,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
