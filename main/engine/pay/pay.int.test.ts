import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { issueReceipt, newMeterState, receiptKeyFromSecret, tokenGen, type MeterState } from '../../../protocol/index.js';
import { blstBackend } from '../../../curve-backends/index.js';
import { startSocksHop } from '../socks-hop/index.js';
import {
  addProofs, checkInvariants, coinCounts, countTokens, openWalletDb, receiveToken, retryAlarm, scheduleToken, tokensInState, type Db,
} from '../wallet/index.js';
import { type PayerContext, payDue } from './index.js';

const key = receiptKeyFromSecret(123456789n);
const setKey = new Uint8Array(32).fill(7);

type Mode = 'good' | 'wrong-point' | 'small-order' | 'drop-first' | 'busy-first';

/** A point of small order on E(Fp): a curve point outside G1 times the group order. */
function smallOrderPoint() {
  const { Fp } = bls12_381.fields;
  for (let x = 1n; ; x++) {
    const y2 = Fp.add(Fp.pow(x, 3n), 4n);
    let y: bigint;
    try { y = Fp.sqrt(y2); } catch { continue; }
    const P = bls12_381.G1.Point.fromAffine({ x, y });
    const E = P.multiplyUnsafe(bls12_381.fields.Fr.ORDER - 1n).add(P); // r·P: only the cofactor part survives
    if (!E.is0()) return E;
  }
}

/** Compressed encoding without noble's validity check (which rightly refuses this point). */
function unsafeCompressed(p: ReturnType<typeof smallOrderPoint>): Uint8Array {
  const { x, y } = p.toAffine();
  const P = bls12_381.fields.Fp.ORDER;
  const out = Buffer.from(x.toString(16).padStart(96, '0'), 'hex');
  out[0]! |= 0x80 | (y * 2n >= P ? 0x20 : 0);
  return out;
}

/** A stand-in UC: real receipts a·T, idempotent on T, counts the TCP connections it accepts. */
async function fakeUc(mode: (T: string) => Mode, port = 0) {
  const paid = new Map<string, string[]>(); // T → coins offered
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => { try { answer(); } catch { res.writeHead(500).end(); } });
    const answer = () => {
      const b = JSON.parse(body) as { token: string; coin: string };
      const coins = paid.get(b.token) ?? [];
      paid.set(b.token, [...coins, b.coin]);
      const m = mode(b.token);
      if (m === 'drop-first' && coins.length === 0) return void req.socket.destroy();
      if (m === 'busy-first' && coins.length === 0)
        return void res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end(JSON.stringify({ error: 'rate-limited', message: 'busy' }));
      let w = issueReceipt(key.a + (m === 'wrong-point' ? 1n : 0n), Buffer.from(b.token, 'hex'));
      if (m === 'small-order') w = unsafeCompressed(bls12_381.G1.Point.fromBytes(w).add(smallOrderPoint()));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: coins.length ? 'already-paid' : 'paid', receipt: Buffer.from(w).toString('hex') }));
    };
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paid, connections: () => connections, close };
}

function wallet(tokens: number, coins = tokens): { db: Db; Ts: string[] } {
  const db = openWalletDb(':memory:');
  onTestFinished(() => void db.close());
  addProofs(db, Array.from({ length: coins }, (_, i) => ({ id: '00aa', amount: 1, secret: `s${i}`, C: 'c' })));
  let meter: MeterState = newMeterState('M1', 1, 4, new Uint8Array(32).fill(3));
  const Ts: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const g = tokenGen(meter, setKey);
    meter = g.state;
    const { id } = receiveToken(db, g.token);
    scheduleToken(db, id!, new Date(0).toISOString());
    Ts.push(Buffer.from(g.token.T).toString('hex'));
  }
  return { db, Ts };
}

const ctx = (db: Db, url: string, route: PayerContext['route']): PayerContext => ({
  db, route, ucUrl: url, A2: key.A2, encodeCoin: (p) => `coin:${p.secret}`, randomBytes: (n) => new Uint8Array(randomBytes(n)),
});
const now = () => new Date().toISOString();
const retryAlarms = (db: Db) => { for (const t of tokensInState(db, 'alarm')) retryAlarm(db, t.id); };

describe('payments through a real SOCKS5 hop', () => {
  it('pays every token on its own connection with its own SOCKS username, and verifies the receipts in a batch', async () => {
    const uc = await fakeUc(() => 'good');
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    const { db } = wallet(6);
    const round = await payDue(ctx(db, uc.url, hop), now(), 100);
    expect(round).toMatchObject({ attempted: 6, paid: 6, alarms: 0, blockedBy: null });
    expect(hop.log).toHaveLength(6);
    expect(new Set(hop.log.map((c) => c.username)).size).toBe(6);
    expect(hop.log.every((c) => c.ok && c.username !== null && c.port === Number(new URL(uc.url).port))).toBe(true);
    expect(uc.connections()).toBe(6);
    expect(coinCounts(db)).toMatchObject({ spent: 6, reserved: 0, stock: 0 });
    checkInvariants(db);
  });

  it('fails closed: no proxy, or a proxy that is down, sends nothing to the UC and says why', async () => {
    const uc = await fakeUc(() => 'good');
    const hop = await startSocksHop();
    const deadPort = hop.port;
    await hop.close();
    onTestFinished(() => uc.close());
    const { db } = wallet(3);
    expect(await payDue(ctx(db, uc.url, null), now(), 100)).toMatchObject({ attempted: 0, blockedBy: 'proxy-refused' });
    expect(countTokens(db).scheduled).toBe(3);
    const down = await payDue(ctx(db, uc.url, { host: '127.0.0.1', port: deadPort }), now(), 100);
    expect(down).toMatchObject({ paid: 0, blockedBy: 'proxy-refused' });
    expect(uc.connections()).toBe(0);
    checkInvariants(db);
  });

  it('a dropped answer is retried with the SAME coin; the token is paid once', async () => {
    const uc = await fakeUc(() => 'drop-first');
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    const { db, Ts } = wallet(2, 4);
    expect(await payDue(ctx(db, uc.url, hop), now(), 100)).toMatchObject({ paid: 0, blockedBy: 'uc-unreachable' });
    expect(countTokens(db).paying).toBe(2);
    expect(await payDue(ctx(db, uc.url, hop), now(), 100)).toMatchObject({ paid: 2, blockedBy: null });
    for (const T of Ts) {
      const offered = uc.paid.get(T)!;
      expect(offered).toHaveLength(2);
      expect(offered[1]).toBe(offered[0]);
    }
    expect(coinCounts(db)).toMatchObject({ spent: 2, stock: 2 });
    expect(new Set(hop.log.map((c) => c.username)).size).toBe(4);
    checkInvariants(db);
  });

  it('a 429 stops the round and hands back its Retry-After; the retry goes with the SAME coin, paid once', async () => {
    const uc = await fakeUc(() => 'busy-first');
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    const { db, Ts } = wallet(6, 8);
    const busy = await payDue({ ...ctx(db, uc.url, hop), concurrency: 1 }, now(), 100);
    expect(busy).toMatchObject({ attempted: 1, paid: 0, blockedBy: 'uc-error', retryAfterMs: 7_000 });
    expect(countTokens(db)).toMatchObject({ paying: 1, scheduled: 5 });
    expect(await payDue({ ...ctx(db, uc.url, hop), concurrency: 1 }, now(), 1)).toMatchObject({ paid: 1, retryAfterMs: 0 });
    const offered = [...uc.paid.values()].find((c) => c.length === 2)!;
    expect(offered[1]).toBe(offered[0]);
    expect(Ts.filter((T) => uc.paid.has(T))).toHaveLength(1);
    expect(coinCounts(db)).toMatchObject({ spent: 1 });
    checkInvariants(db);
  });

  it('a bad receipt (wrong point, or a small-order component) raises an alarm and the token is not paid', async () => {
    const modes: Mode[] = ['good', 'wrong-point', 'good', 'small-order'];
    const { db, Ts } = wallet(4);
    const uc = await fakeUc((T) => modes[Ts.indexOf(T)]!);
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    const round = await payDue({ ...ctx(db, uc.url, hop), concurrency: 1 }, now(), 100);
    expect(round).toMatchObject({ attempted: 4, paid: 2, alarms: 2 });
    expect(tokensInState(db, 'alarm').map((t) => Buffer.from(t.T).toString('hex')).sort()).toEqual([Ts[1], Ts[3]].sort());
    expect(coinCounts(db)).toMatchObject({ spent: 2, reserved: 2 });
    expect(await payDue(ctx(db, uc.url, hop), now(), 100)).toMatchObject({ attempted: 0 }); // alarms are not retried silently
    checkInvariants(db);
  });

  it.each([['noble', undefined], ['blst', blstBackend()]])('a small-order receipt is caught alone and in a batch (%s backend)', async (_, backend) => {
    const { db, Ts } = wallet(3);
    const uc = await fakeUc((T) => (T === Ts[0] ? 'good' : 'small-order'));
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    expect(await payDue({ ...ctx(db, uc.url, hop), backend }, now(), 1)).toMatchObject({ paid: 1, alarms: 0 });
    expect(await payDue({ ...ctx(db, uc.url, hop), backend }, now(), 1)).toMatchObject({ paid: 0, alarms: 1 });
    await retryAlarms(db);
    expect(await payDue({ ...ctx(db, uc.url, hop), backend }, now(), 5)).toMatchObject({ paid: 0, alarms: 2 });
    checkInvariants(db);
  });

  it('a UC restarted mid-period: payments fail while it is down and resume when it is back', async () => {
    let uc = await fakeUc(() => 'good');
    const port = Number(new URL(uc.url).port);
    const hop = await startSocksHop();
    onTestFinished(async () => { await hop.close(); await uc.close(); });
    const { db } = wallet(4);
    expect(await payDue(ctx(db, uc.url, hop), now(), 2)).toMatchObject({ paid: 2 });
    await uc.close();
    expect(await payDue(ctx(db, uc.url, hop), now(), 100)).toMatchObject({ paid: 0, blockedBy: 'uc-unreachable' });
    uc = await fakeUc(() => 'good', port);
    expect(await payDue(ctx(db, uc.url, hop), now(), 100)).toMatchObject({ paid: 2, blockedBy: null });
    expect(countTokens(db).receipted).toBe(4);
    checkInvariants(db);
  });
});
