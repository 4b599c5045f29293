import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import {
  addProofs, checkInvariants, coinCounts, coinsChecked, coinsToCheck, invariantViolations, countTokens, type Db, openWalletDb, paymentAlarm, paymentFailed,
  paymentReceipted, receiveBill, receiveToken, retryAlarm, scheduleToken, settlementAnswered, settlementSent,
  startPayment, tokenById, holdToken, receiptRecovered, releaseToken, periodPayments,
} from './index.js';

const token = (k: number) => ({ set: 1, period: 1 + (k % 2), index: k >> 1, T: new Uint8Array(48).fill(k + 1), sig: new Uint8Array(64) });
let secretNo = 0;
const coins = (n: number, amount = 1) =>
  Array.from({ length: n }, () => ({ id: '00aa', amount, secret: `secret-${secretNo++}`, C: '02'.padEnd(66, '0') }));

const snapshot = (db: Db) =>
  JSON.stringify(['tokens', 'proofs', 'payments', 'receipts', 'bills', 'settlements'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));

type Cmd =
  | { op: 'coins'; n: number }
  | { op: 'receive' | 'schedule' | 'start' | 'fail' | 'receipt' | 'alarm' | 'retry' | 'advance' | 'hold' | 'release' | 'recover'; k: number }
  | { op: 'settle'; period: number }
  | { op: 'reclaim'; n: number };

const K = 4;
const tokenOps = ['receive', 'schedule', 'start', 'fail', 'receipt', 'alarm', 'retry', 'hold', 'release', 'recover'] as const;
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('coins' as const), n: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom(...tokenOps), k: fc.integer({ min: 0, max: K - 1 }) }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('advance' as const), k: fc.integer({ min: 0, max: K - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('settle' as const), period: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reclaim' as const), n: fc.integer({ min: 0, max: 2 }) }) },
);

/** The next step of token k's happy path, so that runs reach the deep states often. */
function advance(db: Db, k: number, ids: Map<number, number>, open: Map<number, number>): Cmd {
  const id = ids.get(k);
  const state = id === undefined ? 'new' : tokenById(db, id).state;
  const next = { new: 'receive', received: 'schedule', scheduled: 'start', paying: open.has(k) ? 'receipt' : 'start', alarm: 'retry' } as const;
  return { op: state in next ? next[state as keyof typeof next] : 'receive', k };
}

/** Applies one command; a refused transition must leave the wallet exactly as it was. */
function apply(db: Db, c: Cmd, ids: Map<number, number>, open: Map<number, number>): void {
  if (c.op === 'advance') c = advance(db, c.k, ids, open);
  const before = snapshot(db);
  try {
    switch (c.op) {
      case 'coins': addProofs(db, coins(c.n)); break;
      case 'receive': { const r = receiveToken(db, token(c.k)); if (r.id !== null) ids.set(c.k, r.id); break; }
      case 'schedule': scheduleToken(db, ids.get(c.k) ?? -1, new Date(0).toISOString()); break;
      case 'start': { const a = startPayment(db, ids.get(c.k) ?? -1); open.set(c.k, a.paymentId); break; }
      case 'fail': paymentFailed(db, open.get(c.k) ?? -1, 'uc-unreachable'); open.delete(c.k); break;
      case 'receipt': paymentReceipted(db, open.get(c.k) ?? -1, new Uint8Array(48).fill(0xee), c.k % 2 ? 'already-paid' : 'paid'); open.delete(c.k); break;
      case 'reclaim': { const due = coinsToCheck(db); coinsChecked(db, due.map((d) => d.paymentId), coins(Math.min(c.n, due.length))); break; }
      case 'alarm': paymentAlarm(db, open.get(c.k) ?? -1, 'receipt-invalid', 'receipt does not verify'); open.delete(c.k); break;
      case 'retry': retryAlarm(db, ids.get(c.k) ?? -1); break;
      // A rebuilt wallet (docs/engine.md §Recovery): held for a receipt lookup, then receipted without a coin or released.
      case 'hold': holdToken(db, ids.get(c.k) ?? -1, new Date(0).toISOString()); break;
      case 'release': releaseToken(db, ids.get(c.k) ?? -1); break;
      case 'recover': receiptRecovered(db, ids.get(c.k) ?? -1, new Uint8Array(48).fill(0xdd)); break;
      case 'advance': break;
      case 'settle': {
        // The meter bills a period once it has ended; here, once some token of it was paid.
        const mine = [...ids.entries()].filter(([k]) => token(k).period === c.period);
        if (mine.some(([, id]) => tokenById(db, id).state === 'receipted'))
          receiveBill(db, { meter: 'M1', period: c.period, fault: false, R: new Uint8Array(48), sig: new Uint8Array(64), mask: 7n, count: mine.length });
        settlementSent(db, c.period, new Uint8Array(48));
        settlementAnswered(db, c.period, 'settled', 'settled');
        break;
      }
    }
  } catch (e) {
    if (!(e instanceof EngineError) && !/no proof|not unspent/.test(String(e))) throw e;
    if (c.op !== 'settle') expect(snapshot(db)).toBe(before); // a settle may keep its (idempotent) bill row
  }
}

describe('wallet state machines', () => {
  it('keep every invariant after every step of any command sequence', () => {
    fc.assert(fc.property(fc.array(cmd, { minLength: 10, maxLength: 80 }), (cmds) => {
      const db = openWalletDb(':memory:');
      try {
        const ids = new Map<number, number>();
        const open = new Map<number, number>();
        for (const c of cmds) {
          apply(db, c, ids, open);
          checkInvariants(db);
        }
        const t = countTokens(db);
        const recovered = (db.prepare('SELECT COUNT(*) AS n FROM receipts WHERE recovered = 1').get() as { n: number }).n;
        expect(coinCounts(db).spent).toBe(t.receipted + t.settled - recovered); // a receipt fetched again took no coin
      } finally {
        db.close();
      }
    }), { numRuns: Number(process.env.FUZZ_RUNS ?? 200) });
  });

  it('a retry carries the same coin; the token is paid once and its coin spent once', () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(3));
    const { id } = receiveToken(db, token(0));
    scheduleToken(db, id!, new Date().toISOString());
    const first = startPayment(db, id!);
    paymentFailed(db, first.paymentId, 'uc-unreachable');
    const second = startPayment(db, id!);
    expect(second.coin.secret).toBe(first.coin.secret);
    paymentReceipted(db, second.paymentId, new Uint8Array(48).fill(9));
    expect(() => startPayment(db, id!)).toThrow(EngineError);
    expect(coinCounts(db)).toEqual({ balance: 2, stock: 2, reserved: 0, spent: 1 });
    checkInvariants(db);
    db.close();
  });

  it("refuses to start a payment with no 1-unit coin ('wallet-empty') and changes nothing", () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(1, 8));
    const { id } = receiveToken(db, token(0));
    scheduleToken(db, id!, new Date().toISOString());
    expect(() => startPayment(db, id!)).toThrow(expect.objectContaining({ code: 'wallet-empty' }));
    expect(tokenById(db, id!).state).toBe('scheduled');
    checkInvariants(db);
    db.close();
  });

  it('a bad receipt raises an alarm: the token is not paid and keeps its coin bound', () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(2));
    const { id } = receiveToken(db, token(0));
    scheduleToken(db, id!, new Date().toISOString());
    const a = startPayment(db, id!);
    paymentAlarm(db, a.paymentId, 'receipt-invalid', 'receipt has a small-order component');
    expect(tokenById(db, id!).state).toBe('alarm');
    expect(coinCounts(db)).toMatchObject({ stock: 1, reserved: 1, spent: 0 });
    expect(() => startPayment(db, id!)).toThrow(EngineError);
    checkInvariants(db);
    db.close();
  });

  it('a repeated token is not new, and a settled period takes no more tokens', () => {
    const db = openWalletDb(':memory:');
    expect(receiveToken(db, token(0)).fresh).toBe(true);
    expect(receiveToken(db, token(0))).toMatchObject({ fresh: false });
    receiveBill(db, { meter: 'M1', period: 2, fault: false, R: new Uint8Array(48), sig: new Uint8Array(64), mask: 1n, count: 0 });
    expect(() => settlementSent(db, 1, new Uint8Array(48))).toThrow(/no bill/);
    settlementSent(db, 2, new Uint8Array(48));
    settlementAnswered(db, 2, 'settled', 'ok');
    expect(receiveToken(db, token(1))).toEqual({ id: null, fresh: false });
    checkInvariants(db);
    db.close();
  });
});

describe('checkInvariants', () => {
  it('catches a coin spent twice, a token paid with two coins, and a paid token without a receipt', () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(3));
    for (const k of [0, 2]) {
      const { id } = receiveToken(db, token(k));
      scheduleToken(db, id!, new Date().toISOString());
      paymentReceipted(db, startPayment(db, id!).paymentId, new Uint8Array(48).fill(k));
    }
    checkInvariants(db);
    db.pragma('foreign_keys = OFF');
    db.exec('INSERT INTO payments (token_id, coin_id, started_at) VALUES (1, 2, 0)'); // token 1 sent with token 2's coin
    expect(invariantViolations(db).join()).toMatch(/more than one coin.*more than one token/s);
    db.exec('DELETE FROM payments WHERE id = 3; DELETE FROM receipts WHERE token_id = 2');
    expect(invariantViolations(db).join()).toMatch(/spent coin is not bound.*paid token has no receipt/s);
    db.close();
  });

  it('allow a receipted token without a coin only with a receipt recovered from the UC, and a recovered one only without', () => {
    const db = openWalletDb(':memory:');
    const { id } = receiveToken(db, token(0));
    holdToken(db, id!, new Date().toISOString());
    receiptRecovered(db, id!, new Uint8Array(48).fill(9));
    checkInvariants(db);
    db.exec('UPDATE receipts SET recovered = 0');
    expect(invariantViolations(db).join()).toMatch(/token past scheduled has no reserved or spent coin/);
    db.exec('UPDATE receipts SET recovered = 1');
    addProofs(db, coins(1));
    db.exec("UPDATE proofs SET state = 'spent'; UPDATE tokens SET coin_id = 1");
    expect(invariantViolations(db).join()).toMatch(/receipt recovered without a coin belongs to a token that holds one/);
    db.close();
  });
});

describe('periodPayments', () => {
  it('counts stored receipts and spent coins apart: an alarm spends no coin, a recovered receipt has none', () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(3));
    const ids = [0, 2, 4, 6].map((k) => receiveToken(db, token(k)).id!); // all of period 1
    for (const id of ids.slice(0, 3)) scheduleToken(db, id, new Date().toISOString());
    paymentReceipted(db, startPayment(db, ids[0]!).paymentId, new Uint8Array(48).fill(1));
    paymentReceipted(db, startPayment(db, ids[1]!).paymentId, new Uint8Array(48).fill(2));
    paymentAlarm(db, startPayment(db, ids[2]!).paymentId, 'receipt-invalid', 'receipt does not verify');
    holdToken(db, ids[3]!, new Date(0).toISOString());
    receiptRecovered(db, ids[3]!, new Uint8Array(48).fill(3));
    expect(periodPayments(db, 1)).toEqual({ receiptsVerified: 3, coinsSpent: 2 });
    expect(periodPayments(db, 2)).toEqual({ receiptsVerified: 0, coinsSpent: 0 });
    db.close();
  });
});

describe('coins the UC did not take', () => {
  it("are listed after an 'already-paid' answer until checked; proofs the mint returned join the stock", () => {
    const db = openWalletDb(':memory:');
    addProofs(db, coins(2));
    for (const [k, answer] of [[0, 'paid'], [2, 'already-paid']] as const) {
      const { id } = receiveToken(db, token(k));
      scheduleToken(db, id!, new Date().toISOString());
      paymentReceipted(db, startPayment(db, id!).paymentId, new Uint8Array(48).fill(k), answer);
    }
    const toCheck = coinsToCheck(db);
    expect(toCheck).toHaveLength(1);
    coinsChecked(db, toCheck.map((c) => c.paymentId), coins(1));
    expect(coinsToCheck(db)).toEqual([]);
    expect(coinCounts(db)).toEqual({ balance: 1, stock: 1, reserved: 0, spent: 2 });
    checkInvariants(db);
    db.close();
  });
});
