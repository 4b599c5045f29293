/**
 * What the chaos campaign checks once the engine has finished cleanly: every closed period settled at the UC with
 * paid = tokens, the coins the mint issued all accounted for (wallet unspent at the mint + what the UC received),
 * no token paid twice, the wallet's invariants. Read from the UC's admin API, the mint's NUT-07 and its database
 * (read only), and the wallet's database (read only), never from the engine's own report.
 * @module
 */
import { hashToCurve } from '@cashu/cashu-ts';
import Database from 'better-sqlite3';
import { invariantViolations } from '../../main/engine/wallet/index.js';
import { openSqlite } from '../../main/engine/vault/index.js';
import { TEST_WALLET_KEY } from '../test-wallet-key.js';

export interface EndState {
  /** Periods the meter closed during the campaign. */
  periods: number[];
  meter: string;
  walletFile: string;
  mintFile: string;
  /** The mint as its clients reach it. */
  mintUrl: string;
  adminUrl: string;
  adminToken: string;
}

export interface EndChecks {
  periods: { closed: number; settled: number; unsettled: number[] };
  tokens: { billed: number; ucPaid: number; walletPaid: number; alreadyPaidAnswers: number; inAlarm: number };
  coins: {
    /** Units the mint issued against paid quotes. */
    issued: number;
    /** Issued minus the inputs it has marked spent: what exists as unspent e-cash anywhere. */
    outstandingAtMint: number;
    /** Units of the wallet's unspent and reserved proofs that the mint counts unspent. */
    walletHeld: number;
    /** The UC's e-cash (admin API). */
    ucReceived: number;
    /** Wallet proofs counted unspent that the mint has spent (each one a unit the wallet thinks it has but has not). */
    walletUnspentButSpent: number;
    /** Wallet coins spent against tokens (each bound to one receipted token). */
    walletSpent: number;
    /** outstanding − walletHeld − ucReceived: units nobody holds. */
    lost: number;
  };
  /** Tokens the UC counts paid beyond the bill's K, plus wallet records of a token paid twice or a coin sent twice. */
  doublePaid: number;
  invariantViolations: string[];
  failures: string[];
}

async function admin<T>(s: EndState, path: string): Promise<T> {
  const r = await fetch(new URL(path, s.adminUrl), { headers: { authorization: `Bearer ${s.adminToken}` } });
  if (!r.ok) throw new Error(`UC admin GET ${path}: ${r.status}`);
  return (await r.json()) as T;
}

/** NUT-07 at the mint: which of these secrets it counts spent (or pending). */
async function spentAtMint(mintUrl: string, secrets: readonly string[]): Promise<Set<string>> {
  const spent = new Set<string>();
  const enc = new TextEncoder();
  for (let i = 0; i < secrets.length; i += 500) {
    const batch = secrets.slice(i, i + 500);
    const Ys = batch.map((s) => hashToCurve(enc.encode(s)).toHex(true));
    const r = await fetch(new URL('/v1/checkstate', mintUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Ys }) });
    if (!r.ok) throw new Error(`mint checkstate: ${r.status}`);
    const { states } = (await r.json()) as { states: { Y: string; state: string }[] };
    const byY = new Map(states.map((x) => [x.Y, x.state]));
    batch.forEach((s, j) => { if (byY.get(Ys[j]!) !== 'UNSPENT') spent.add(s); });
  }
  return spent;
}

export async function checkEnd(s: EndState): Promise<EndChecks> {
  const failures: string[] = [];
  const wallet = openSqlite(s.walletFile, TEST_WALLET_KEY); // the engine has stopped: read only by use
  const mint = new Database(s.mintFile, { readonly: true, fileMustExist: true });
  try {
    const n = (db: Database.Database, q: string, ...a: unknown[]) => Number((db.prepare(q).get(...a) as { n: number | null } | undefined)?.n ?? 0);

    // (a) every closed period settled at the UC, paid = tokens.
    const ucPeriods = new Map((await admin<{ period: number; paidTokens: number }[]>(s, '/admin/v1/periods')).map((p) => [p.period, p.paidTokens]));
    const unsettled: number[] = [];
    let billed = 0;
    let ucPaid = 0;
    let walletPaid = 0;
    let doublePaid = 0;
    for (const p of s.periods) {
      const settled = await admin<{ meter: string; settled: boolean }[]>(s, `/admin/v1/periods/${p}/settlements?status=settled`);
      const K = n(wallet, 'SELECT count AS n FROM bills WHERE period = ?', p);
      const paidHere = n(wallet, "SELECT COUNT(*) AS n FROM tokens WHERE period = ? AND state IN ('receipted', 'settled')", p);
      const uc = ucPeriods.get(p) ?? 0;
      billed += K;
      ucPaid += uc;
      walletPaid += paidHere;
      if (!settled.some((m) => m.meter === s.meter && m.settled)) { unsettled.push(p); continue; }
      if (uc !== K) failures.push(`period ${p}: the UC counts ${uc} tokens paid, the bill has ${K}`);
      if (uc > K) doublePaid += uc - K;
    }
    for (const p of unsettled) {
      // What the wallet holds of it: tokens of the bill's K, receipts, the settlement's state.
      const bill = wallet.prepare('SELECT count FROM bills WHERE period = ?').get(p) as { count: number } | undefined;
      const got = n(wallet, 'SELECT COUNT(*) AS n FROM tokens WHERE period = ?', p);
      const paid = n(wallet, "SELECT COUNT(*) AS n FROM tokens WHERE period = ? AND state IN ('receipted', 'settled')", p);
      const st = (wallet.prepare('SELECT state FROM settlements WHERE period = ?').get(p) as { state: string } | undefined)?.state ?? 'none';
      const stuck = (wallet.prepare("SELECT state, COUNT(*) AS n FROM tokens WHERE period = ? AND state NOT IN ('receipted', 'settled') GROUP BY state").all(p) as { state: string; n: number }[])
        .map((r) => `${r.n} ${r.state}`).join(', ');
      failures.push(`period ${p} not settled at the UC: the wallet has ${got} tokens of ${bill ? bill.count : 'no bill'}, ${paid} receipted${stuck ? ` (the rest: ${stuck})` : ''}, settlement ${st}`);
    }

    // (c) the wallet never paid a token twice nor sent a coin for two tokens (also invariants, counted here).
    doublePaid += n(wallet, "SELECT COUNT(*) AS n FROM (SELECT token_id FROM payments WHERE outcome = 'receipt' GROUP BY token_id HAVING COUNT(*) > 1)");
    doublePaid += n(wallet, 'SELECT COUNT(*) AS n FROM (SELECT token_id FROM payments GROUP BY token_id HAVING COUNT(DISTINCT coin_id) > 1)');
    doublePaid += n(wallet, 'SELECT COUNT(*) AS n FROM (SELECT coin_id FROM payments GROUP BY coin_id HAVING COUNT(DISTINCT token_id) > 1)');
    if (doublePaid > 0) failures.push(`${doublePaid} tokens or coins paid twice`);

    // (b) coins: the mint's books against the wallet and the UC.
    const held = wallet.prepare("SELECT secret, amount, state FROM proofs WHERE state IN ('unspent', 'reserved')").all() as { secret: string; amount: number; state: string }[];
    const spent = await spentAtMint(s.mintUrl, held.map((p) => p.secret));
    const walletHeld = held.filter((p) => !spent.has(p.secret)).reduce((a, p) => a + p.amount, 0);
    const walletUnspentButSpent = held.filter((p) => p.state === 'unspent' && spent.has(p.secret)).length;
    if (walletUnspentButSpent > 0) failures.push(`${walletUnspentButSpent} proofs the wallet counts unspent are spent at the mint`);
    const issued = n(mint, "SELECT SUM(amount) AS n FROM mint_quotes WHERE state = 'ISSUED'");
    const outstandingAtMint = n(mint, 'SELECT SUM(amount) AS n FROM promises') - n(mint, "SELECT SUM(amount) AS n FROM spent_proofs WHERE state = 'SPENT'");
    const ucReceived = (await admin<{ amount: number }>(s, '/admin/v1/wallet')).amount;
    const lost = outstandingAtMint - walletHeld - ucReceived;
    if (lost !== 0) failures.push(`${lost} units lost (outstanding at the mint ${outstandingAtMint}, wallet ${walletHeld}, UC ${ucReceived})`);
    if (issued !== outstandingAtMint) failures.push(`the mint issued ${issued} but ${outstandingAtMint} are outstanding (fees are 0)`);

    const inAlarm = n(wallet, "SELECT COUNT(*) AS n FROM tokens WHERE state = 'alarm'");
    if (inAlarm > 0) failures.push(`${inAlarm} tokens in alarm`);
    const violations = invariantViolations(wallet);
    failures.push(...violations.map((v) => `wallet invariant: ${v}`));
    return {
      periods: { closed: s.periods.length, settled: s.periods.length - unsettled.length, unsettled },
      tokens: { billed, ucPaid, walletPaid, alreadyPaidAnswers: n(wallet, "SELECT COUNT(*) AS n FROM payments WHERE answer = 'already-paid'"), inAlarm },
      coins: { issued, outstandingAtMint, walletHeld, ucReceived, walletUnspentButSpent, walletSpent: n(wallet, "SELECT COUNT(*) AS n FROM proofs WHERE state = 'spent'"), lost },
      doublePaid,
      invariantViolations: violations,
      failures,
    };
  } finally {
    wallet.close();
    mint.close();
  }
}
