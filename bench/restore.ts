/**
 * `npm run bench:restore` → bench/restore.json (issue 6): the time to rebuild a lost wallet of a 10,000-token period.
 *
 * Before the loss (set up, not timed): the household's wallet bought 10,000 units, split by its seed's NUT-13
 * counters into 10,000 1-unit proofs, of which half are then spent at the mint; the UC holds the period's 10,000
 * tokens as paid with their receipts (written into its ledger with its key: 10,000 network payments are
 * bench:engine's figure). Then the wallet file is deleted and the engine starts with the seed phrase. Timed from its
 * first round, in the engine, everything through the SOCKS hop on loopback, each to the moment it is done:
 *   - the seed scan beside the rounds: NUT-09 restore of the counters (10,000 signed + the empty gap), NUT-07 on the
 *     proofs found, the 5,000 unspent ones stored;
 *   - the carousel's 10,000 tokens ingested (stored and held), all at once;
 *   - every token receipted again: 10,000 `/v1/receipt` lookups (a fresh SOCKS connection each, 16 in flight),
 *     receipts verified in batches, recorded; no coin leaves;
 *   - the bill, and the settlement (combine, local check, `/v1/settle`);
 *   - the recovery over.
 * The carousel's own time to bring 10,000 tokens over the serial link is computed from its measured rate
 * (docs/serial-protocol.md). BENCH_RESTORE_RUNS repeats this on the same setup (the wallet deleted each time; the
 * mint and UC answer the same), and medians are reported.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Amount, Wallet } from '@cashu/cashu-ts';
import { blstBackend } from '../curve-backends/index.js';
import { createEngine } from '../main/engine/index.js';
import { openWalletDb, unspentProofs } from '../main/engine/wallet/index.js';
import { billGen, bytesToHex, issueReceipt, newMeterState, p256PublicKey, tokenGen, type MeterState } from '../protocol/index.js';
import { registerMeter, startServers } from '../scripts/demo-stack.js';
import { p256SecretKey } from '../scripts/uc-fixture.js';
import { readReceiptKeyFile } from '../uc/index.js';
import { TEST_WALLET_KEY, testUnlock } from '../scripts/test-wallet-key.js';

const K = Number(process.env.BENCH_K ?? 10_000);
const RUNS = Number(process.env.BENCH_RESTORE_RUNS ?? 3);
const CONCURRENCY = 16;
/** docs/serial-protocol.md: 39 token lines a second, of which the carousel's full walk gets three slots in four. */
const LINK_TOKENS_PER_S = 39;
const FULL_WALK_SHARE = 3 / 4;
const backend = blstBackend();

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const since = (t: number) => performance.now() - t;

const dir = mkdtempSync(join(tmpdir(), 'sipster-bench-restore-'));
const servers = await startServers(dir);
try {
  const setKey = p256SecretKey();
  const billKey = p256SecretKey();
  await registerMeter(servers.uc.adminUrl, servers.adminToken,
    { meter: 'M-RESTORE', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1]);
  let meter: MeterState = newMeterState('M-RESTORE', 1, 1, new Uint8Array(randomBytes(32)));
  const tokens = Array.from({ length: K }, () => { const g = tokenGen(meter, setKey, backend); meter = g.state; return g.token; });
  const bill = billGen(meter, 1, billKey, backend);
  const home = join(dir, 'home');
  const open = (restoreSeed?: string[]) => createEngine({
    unlock: testUnlock,
    dataDir: home, ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, payConcurrency: CONCURRENCY,
    tickMs: 3_600_000, ...(restoreSeed ? { restoreSeed } : {}),
  });

  // Before the loss.
  let t = performance.now();
  const before = await open();
  await before.runOnce();
  // In top-ups of 250 (round amounts, as a household buys them), each split into its 250 units.
  for (let left = K; left > 0; left -= 250) await before.topUp(Math.min(250, left));
  const { words } = await before.takeSeedPhrase();
  await before.close();
  const db = openWalletDb(join(home, 'wallet.sqlite'), TEST_WALLET_KEY);
  const toSpend = unspentProofs(db, 1).slice(0, K / 2);
  db.close();
  const spender = new Wallet(servers.mintUrl, { unit: servers.mint.unit });
  await spender.loadMint();
  for (let i = 0; i < toSpend.length; i += 1000) {
    const batch = toSpend.slice(i, i + 1000).map((p) => ({ id: p.id, amount: Amount.from(p.amount), secret: p.secret, C: p.C }));
    await spender.receive(batch); // swapped into the spender's random outputs: spent for this seed
  }
  const { a } = readReceiptKeyFile(join(dir, 'uc.key'));
  for (let i = 0; i < K; i += 500)
    await servers.uc.ledger.completePayments(tokens.slice(i, i + 500).map((tk) => ({ set: 1, period: 1, T: tk.T, receipt: issueReceipt(a, tk.T, backend) })), []);
  const setupMs = since(t);
  const ucCoinsBefore = (await servers.uc.ledger.walletBalance()).amount;

  type Run = { ingestMs: number; receiptsMs: number; settledMs: number; proofsMs: number; totalMs: number; rounds: number; load: number[] };
  const runs: Run[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const f of ['', '-wal', '-shm']) rmSync(join(home, `wallet.sqlite${f}`), { force: true });
    const loadStart = loadavg()[0]!;
    const engine = await open(words);
    let proofsAt = 0;
    engine.onEvent((e) => { if (e.kind === 'recovery' && proofsAt === 0 && e.recovery.proofs > 0) proofsAt = performance.now(); });
    const t0 = performance.now();
    const round = async () => { await engine.runOnce(); await new Promise((r) => setImmediate(r)); };
    await round(); // UC contact, horizon; the seed scan starts beside the rounds

    t = performance.now();
    for (const token of tokens) engine.ingest({ kind: 'token', token }); // the carousel, all at once
    const ingestMs = since(t);

    let rounds = 0;
    for (; (await engine.getPeriod(1)).paid < K; rounds++) {
      if (rounds > 10 * K) throw new Error('receipts did not come back');
      await round();
    }
    const receiptsMs = since(t0);
    engine.ingest({ kind: 'bill', bill });
    const settled = await engine.settle(1);
    const settledMs = since(t0);
    if (settled.kind !== 'settled') throw new Error(`the period did not settle: ${JSON.stringify(settled)}`);
    for (; (await engine.getStatus()).recovery?.state !== 'restored'; rounds++) {
      if (rounds > 100 * K) throw new Error('the recovery did not end');
      await round();
      await new Promise((r) => setTimeout(r, 10));
    }
    const totalMs = since(t0);
    const status = await engine.getStatus();
    if (status.recovery?.proofs !== K / 2 || status.recovery.receipts !== K) throw new Error(`recovery incomplete: ${JSON.stringify(status.recovery)}`);
    if (status.wallet.balance !== K / 2 || status.wallet.spent !== 0) throw new Error(`a coin left: ${JSON.stringify(status.wallet)}`);
    await engine.close();
    // The 1-minute load average when the run started and ended (the machine is shared).
    runs.push({ ingestMs, receiptsMs, settledMs, proofsMs: proofsAt - t0, totalMs, rounds, load: [loadStart, loadavg()[0]!] });
    process.stdout.write(`run ${run + 1}: ${JSON.stringify(runs.at(-1))}\n`);
  }
  if ((await servers.uc.ledger.walletBalance()).amount !== ucCoinsBefore) throw new Error('the UC took a coin during a recovery');

  const med = (k: Exclude<keyof Run, 'load'>) => Math.round(median(runs.map((r) => r[k])));
  const carouselS = K / (LINK_TOKENS_PER_S * FULL_WALK_SHARE);
  const result = {
    generatedAt: new Date().toISOString(),
    machine: `this 2-core workplace, shared; loopback; Node ${process.version}`,
    K,
    runs: RUNS,
    medianMs: {
      ingest: med('ingestMs'), receiptsBack: med('receiptsMs'), settled: med('settledMs'), proofsRestored: med('proofsMs'), total: med('totalMs'),
    },
    meaning: {
      ingest: 'the 10,000 carousel tokens stored and held (the carousel itself delivers them in `carousel.seconds`)',
      receiptsBack: 'from the start until every token has a verified receipt fetched again (10,000 lookups), the seed scan running beside them',
      settled: 'until the period is settled (the bill, combine, local check, /v1/settle)',
      proofsRestored: 'until the restored proofs are stored: NUT-09 scan of the seed counters and NUT-07 of every proof found',
      total: 'until the recovery is over (state restored)',
    },
    each: runs.map(({ load, ...r }) => ({ ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)])), loadAverage1m: load.map((l) => Number(l.toFixed(2))) })),
    restore: { proofsMadeBySeed: K, unspent: K / 2, note: 'NUT-09 scan of the seed counters in batches of 100 until 1,000 empty ones, NUT-07 on every proof found (cashu-ts: 100 per request); outputs, DLEQ checks and unblinding on libsecp256k1 (main/engine/cashu/native-restore.ts)' },
    receipts: { lookups: K, concurrency: CONCURRENCY, note: 'POST /v1/receipt, one fresh SOCKS connection and username each, 256 per engine round; receipts verified in batches; UC coins taken: 0' },
    carousel: {
      computed: true, seconds: Math.round(carouselS), tokensPerSecond: LINK_TOKENS_PER_S * FULL_WALK_SHARE,
      note: 'not measured here: 10,000 tokens at the full walk share (3 slots in 4) of the 39 token lines a second measured through a socat pty (docs/serial-protocol.md); lookups run as the tokens arrive',
    },
    setupMs: Math.round(setupMs),
    note: 'engine, UC, mint and SOCKS hop in one process on this shared 2-core machine',
  };
  writeFileSync(join(import.meta.dirname, 'restore.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await servers.close();
  rmSync(dir, { recursive: true, force: true });
}
