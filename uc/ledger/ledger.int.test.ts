import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from '../../scripts/pg.js';
import { migrate, LATEST_VERSION } from './migrations/index.js';
import { openLedger, type Ledger, type LedgerLocation } from './index.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { SqlDatabase } from './sql.js';

let pg: Postgres;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uc-ledger-'));
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A fresh, empty ledger location: a new SQLite file, or a new PostgreSQL database. */
async function fresh(kind: 'sqlite' | 'postgres'): Promise<LedgerLocation> {
  const name = `ledger_${++n}`;
  if (kind === 'sqlite') return { sqlite: join(dir, `${name}.sqlite`) };
  const admin = openPostgres(pg.url, 1);
  await admin.run(`CREATE DATABASE ${name}`);
  await admin.close();
  return { postgres: pg.url.replace(/\/postgres$/, `/${name}`) };
}
const rawDb = (where: LedgerLocation): SqlDatabase =>
  'postgres' in where ? openPostgres(where.postgres, 2) : openSqlite(where.sqlite);

const T = (i: number) => new Uint8Array(48).fill(i);
const tk = (i: number, period = 7) => ({ set: 1, period, T: T(i) });

describe.each(['sqlite', 'postgres'] as const)('ledger on %s', (kind) => {
  let ledger: Ledger;
  let where: LedgerLocation;
  beforeAll(async () => {
    where = await fresh(kind);
    ledger = await openLedger(where);
    await ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33).fill(2) });
    await ledger.openPeriod(7);
  });
  afterAll(() => ledger?.close());

  it('registers sets and meters idempotently and refuses contradicting ones', async () => {
    await ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33).fill(2) });
    await expect(ledger.addSet({ set: 1, tokenPublicKey: new Uint8Array(33).fill(3) })).rejects.toMatchObject({ code: 'conflict' });
    await ledger.addMeter({ meter: 'm-1', billPublicKey: new Uint8Array(33).fill(4), set: 1 });
    await ledger.addMeter({ meter: 'm-1', billPublicKey: new Uint8Array(33).fill(4), set: 1 });
    await expect(ledger.addMeter({ meter: 'm-1', billPublicKey: new Uint8Array(33).fill(5), set: 1 })).rejects.toMatchObject({ code: 'conflict' });
    await expect(ledger.addMeter({ meter: 'm-2', billPublicKey: new Uint8Array(33).fill(4), set: 9 })).rejects.toMatchObject({ code: 'unknown-set' });
    expect(await ledger.meter('m-1')).toEqual({ meter: 'm-1', billPublicKey: new Uint8Array(33).fill(4), set: 1 });
  });

  it('claims a token once, completes it with its receipt and stores the proofs in one step', async () => {
    const first = await ledger.claimToken(tk(1), 'c1', 1000, 60_000);
    expect(first).toEqual({ kind: 'claimed', claim: 'c1' });
    expect(await ledger.claimToken(tk(1), 'c2', 1000, 60_000)).toEqual({ kind: 'pending' });
    await ledger.completePayments([{ ...tk(1), receipt: T(99) }], [{ id: '00ab', amount: 1, secret: 's1', C: '02cc' }]);
    expect(await ledger.claimToken(tk(1), 'c3', 1000, 60_000)).toEqual({ kind: 'paid', receipt: T(99) });
    expect(await ledger.walletBalance()).toEqual({ amount: 1, proofs: 1 });
    expect((await ledger.periods()).find((p) => p.period === 7)?.paidTokens).toBe(1);
  });

  it('gives of many concurrent claims of one token exactly one', async () => {
    const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => ledger.claimToken(tk(2), `k${i}`, 1000, 60_000)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'pending')).toHaveLength(15);
  });

  it('frees a released claim, and only for its holder; an expired lease can be taken over', async () => {
    expect(await ledger.claimToken(tk(3), 'a', 1000, 50)).toMatchObject({ kind: 'claimed' });
    await ledger.releaseClaims([{ ...tk(3), claim: 'not-a' }]);
    expect(await ledger.claimToken(tk(3), 'b', 1010, 50)).toEqual({ kind: 'pending' });
    expect(await ledger.claimToken(tk(3), 'b', 1051, 50)).toEqual({ kind: 'claimed', claim: 'b' });
    await ledger.releaseClaims([{ ...tk(3), claim: 'b' }]);
    expect(await ledger.claimToken(tk(3), 'c', 1052, 50)).toEqual({ kind: 'claimed', claim: 'c' });
  });

  it('records a settlement once, and failed attempts with their reason', async () => {
    expect(await ledger.recordSettlement('m-1', 7, false)).toBe(true);
    expect(await ledger.recordSettlement('m-1', 7, false)).toBe(false);
    await ledger.recordFailedSettlement('m-1', 8, 'settlement-mismatch');
    await ledger.recordFailedSettlement('m-1', 8, 'settlement-mismatch');
    expect(await ledger.settlements(7)).toEqual([{ meter: 'm-1', settled: true, fault: false, failures: [] }]);
    expect(await ledger.settlements(8)).toEqual([
      { meter: 'm-1', settled: false, fault: false, failures: [{ reason: 'settlement-mismatch', count: 2 }] },
    ]);
  });

  it('drops the paid tokens of a closed period only', async () => {
    await ledger.openPeriod(9);
    await ledger.claimToken(tk(4, 9), 'x', 0, 1);
    await ledger.completePayments([{ ...tk(4, 9), receipt: T(5) }], []);
    await expect(ledger.dropPaidTokens(9)).rejects.toMatchObject({ code: 'period-not-closed' });
    await ledger.closePeriod(9);
    expect(await ledger.dropPaidTokens(9)).toBe(1);
    expect(await ledger.receipt(tk(4, 9))).toBeUndefined();
    expect(await ledger.receipt(tk(1))).toEqual(T(99)); // other periods untouched
  });

  it('migrates an empty database to the latest version, is idempotent, and refuses one from the future', async () => {
    const w = await fresh(kind);
    const db = rawDb(w);
    try {
      expect(await migrate(db, 0)).toBe(0);
      expect(await migrate(db)).toBe(LATEST_VERSION);
      expect(await migrate(db)).toBe(LATEST_VERSION);
      await db.run(`UPDATE uc_schema SET version = ?`, [LATEST_VERSION + 10]);
    } finally {
      await db.close();
    }
    await expect(openLedger(w)).rejects.toMatchObject({ code: 'db-from-future' });
  });
});
