/**
 * `npm run bench:restore` → bench/restore.json (issue 6): the time to rebuild a lost wallet of a 10,000-token period.
 *
 * Before the loss (set up, not timed): the household's wallet bought 10,000 units, split by its seed's NUT-13
 * counters into 10,000 1-unit proofs, of which half are then spent at the mint; the UC holds the period's 10,000
 * tokens as paid with their receipts (written into its ledger with its key: 10,000 network payments are
 * bench:engine's figure). Then the wallet file is deleted, the mint and the UC start again as their own processes on
 * the same files, the SOCKS hop as a third, and the engine starts in this one with the seed phrase. Timed from its
 * first round, everything through the hop on loopback, each to the moment it is done:
 *   - the seed scan beside the rounds: NUT-09 restore of the counters (10,000 signed + the empty gap), NUT-07 on the
 *     proofs found, the 5,000 unspent ones stored;
 *   - the carousel's 10,000 tokens ingested (stored and held), all at once;
 *   - every token receipted again: 10,000 `/v1/receipt` lookups (a fresh SOCKS connection each, 16 in flight),
 *     receipts verified in batches, recorded; no coin leaves;
 *   - the bill, and the settlement (combine, local check, `/v1/settle`);
 *   - the recovery over.
 * The carousel's own time to bring 10,000 tokens over the serial link is computed from its measured rate
 * (docs/serial-protocol.md). BENCH_RESTORE_RUNS repeats this on the same setup (the wallet deleted each time; the
 * mint and UC answer the same), and medians are reported. Each run also reads the CPU time each process spent (the
 * engine's from this process, the others' from /proc), so the engine's work is told apart from the servers' and from
 * the time it waits for them and for the machine.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Amount, Wallet } from '@cashu/cashu-ts';
import { blstBackend } from '../curve-backends/index.js';
import { createEngine } from '../main/engine/index.js';
import { openWalletDb, unspentProofs } from '../main/engine/wallet/index.js';
import { billGen, bytesToHex, hexToBytes, issueReceipt, newMeterState, p256PublicKey, tokenGen, type MeterState, type Token } from '../protocol/index.js';
import { registerMeter, startHopProcess, startServerProcesses, startServers } from '../scripts/demo-stack.js';
import { p256SecretKey } from '../scripts/uc-fixture.js';
import { openLedger, readReceiptKeyFile } from '../uc/index.js';
import { TEST_WALLET_KEY, testUnlock } from '../scripts/test-wallet-key.js';
import { processCpuMs } from './measure.js';

const K = Number(process.env.BENCH_K ?? 10_000);
const RUNS = Number(process.env.BENCH_RESTORE_RUNS ?? 3);
const CONCURRENCY = 16;
/** docs/serial-protocol.md: 39 token lines a second, of which the carousel's full walk gets three slots in four. */
const LINK_TOKENS_PER_S = 39;
const FULL_WALK_SHARE = 3 / 4;
const backend = blstBackend();
/** BENCH_RESTORE_PROFILE=file.cpuprofile: the first run's engine work profiled (the engine's process only; open in Chrome's DevTools). */
const PROFILE = process.env.BENCH_RESTORE_PROFILE;

async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const since = (t: number) => performance.now() - t;
/** The coins the UC holds, read from its ledger file (its process is stopped). */
async function ucCoins(dir: string): Promise<number> {
  const ledger = await openLedger({ sqlite: join(dir, 'uc.sqlite') });
  try { return (await ledger.walletBalance()).amount; } finally { await ledger.close(); }
}

/**
 * What the timed runs need of the setup. BENCH_RESTORE_SETUP=folder keeps it there (the servers' files, the seed
 * phrase, the tokens and the bill as JSON, byte arrays as {"hex"} and big integers as {"big"}) and reuses it.
 */
interface Setup { words: string[]; tokens: Token[]; bill: ReturnType<typeof billGen>; setupMs: number }
const toJson = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (x instanceof Uint8Array ? { hex: bytesToHex(x) } : typeof x === 'bigint' ? { big: x.toString() } : x));
const fromJson = (text: string) => JSON.parse(text, (_, x: unknown) => {
  if (x === null || typeof x !== 'object' || Object.keys(x).length !== 1) return x;
  const { hex, big } = x as { hex?: unknown; big?: unknown };
  return typeof hex === 'string' ? hexToBytes(hex) : typeof big === 'string' ? BigInt(big) : x;
}) as Setup;

/**
 * Before the loss, with the mint and the UC in this process (not timed): top-ups split into K 1-unit proofs by the
 * seed, half of them spent, the K tokens written as paid into the UC's ledger; the wallet closed.
 */
async function makeSetup(dir: string, home: string): Promise<Setup> {
  const t = performance.now();
  const servers = await startServers(dir);
  try {
    const setKey = p256SecretKey();
    const billKey = p256SecretKey();
    await registerMeter(servers.uc.adminUrl, servers.adminToken,
      { meter: 'M-RESTORE', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(billKey)) }, [1]);
    let meter: MeterState = newMeterState('M-RESTORE', 1, 1, new Uint8Array(randomBytes(32)));
    const tokens = Array.from({ length: K }, () => { const g = tokenGen(meter, setKey, backend); meter = g.state; return g.token; });
    const bill = billGen(meter, 1, billKey, backend);
    const before = await createEngine({
      unlock: testUnlock, dataDir: home, ucUrl: servers.uc.url, socks: { ...servers.hop, label: 'demo-hop' }, payDelayMs: () => 0, payConcurrency: CONCURRENCY, tickMs: 3_600_000,
    });
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
    return { words, tokens, bill, setupMs: since(t) };
  } finally {
    await servers.close();
  }
}

const SETUP_DIR = process.env.BENCH_RESTORE_SETUP;
if (SETUP_DIR) mkdirSync(SETUP_DIR, { recursive: true });
const dir = SETUP_DIR ?? mkdtempSync(join(tmpdir(), 'sipster-bench-restore-'));
try {
  const home = join(dir, 'home');
  const setupFile = join(dir, 'setup.json');
  const kept = existsSync(setupFile) ? fromJson(readFileSync(setupFile, 'utf8')) : null;
  if (kept && kept.tokens.length !== K) throw new Error(`${setupFile} was made for K = ${kept.tokens.length}`);
  if (!kept && readdirSync(dir).length > 0) throw new Error(`${dir} holds no finished setup (setup.json) but other files: give an empty folder`);
  const setup = kept ?? await makeSetup(dir, home);
  if (SETUP_DIR && !kept) writeFileSync(setupFile, toJson(setup));
  const { words, tokens, bill, setupMs } = setup;
  const ucCoinsBefore = await ucCoins(dir);
  // The timed runs: the mint and the UC as their own processes on the same files, the hop too, so that each one's CPU
  // time is read from itself and what this process spends is the engine's.
  const stack = await startServerProcesses(dir);
  const hop = await startHopProcess();
  const others = { uc: stack.pids.uc, mint: stack.pids.mint, hop: hop.pid };
  const cpuOfOthers = () => Object.fromEntries(Object.entries(others).map(([k, pid]) => [k, processCpuMs(pid)])) as Record<keyof typeof others, number>;
  const engineCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

  type Run = {
    ingestMs: number; receiptsMs: number; settledMs: number; proofsMs: number; totalMs: number; rounds: number; load: number[];
    cpuMs: { engine: number; engineIngest: number; engineToReceipts: number; engineToSettled: number; uc: number; mint: number; hop: number };
  };
  const runs: Run[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const f of ['', '-wal', '-shm']) rmSync(join(home, `wallet.sqlite${f}`), { force: true });
      const loadStart = loadavg()[0]!;
      const profiling = run === 0 && PROFILE ? await startProfile() : null;
      const [cpu0, others0] = [engineCpuMs(), cpuOfOthers()];
      const engine = await createEngine({
        unlock: testUnlock, dataDir: home, ucUrl: stack.ucUrl, socks: { host: hop.host, port: hop.port, label: 'demo-hop' },
        payDelayMs: () => 0, payConcurrency: CONCURRENCY, tickMs: 3_600_000, restoreSeed: words,
      });
      let proofsAt = 0;
      engine.onEvent((e) => { if (e.kind === 'recovery' && proofsAt === 0 && e.recovery.proofs > 0) proofsAt = performance.now(); });
      const t0 = performance.now();
      const round = async () => { await engine.runOnce(); await new Promise((r) => setImmediate(r)); };
      await round(); // UC contact, horizon; the seed scan starts beside the rounds

      const [t, ingestCpu0] = [performance.now(), engineCpuMs()];
      for (const token of tokens) engine.ingest({ kind: 'token', token }); // the carousel, all at once
      const ingestMs = since(t);
      const engineIngest = engineCpuMs() - ingestCpu0;

      let rounds = 0;
      for (; (await engine.getPeriod(1)).paid < K; rounds++) {
        if (rounds > 10 * K) throw new Error('receipts did not come back');
        await round();
      }
      const receiptsMs = since(t0);
      const engineToReceipts = engineCpuMs() - cpu0;
      engine.ingest({ kind: 'bill', bill }); // held until a round learns the meter's bill key from the UC (meter-trust.ts)
      let settled = await engine.settle(1);
      for (; settled.kind === 'open' && rounds <= 10 * K; rounds++) {
        await round();
        settled = await engine.settle(1);
      }
      const settledMs = since(t0);
      const engineToSettled = engineCpuMs() - cpu0;
      if (settled.kind !== 'settled') throw new Error(`the period did not settle: ${JSON.stringify(settled)}`);
      for (; (await engine.getStatus()).recovery?.state !== 'restored'; rounds++) {
        if (rounds > 100 * K) throw new Error('the recovery did not end');
        await round();
        await new Promise((r) => setTimeout(r, 10));
      }
      const totalMs = since(t0);
      const [cpu1, others1] = [engineCpuMs(), cpuOfOthers()];
      if (profiling) await profiling.stop(PROFILE!);
      const status = await engine.getStatus();
      if (status.recovery?.proofs !== K / 2 || status.recovery.receipts !== K) throw new Error(`recovery incomplete: ${JSON.stringify(status.recovery)}`);
      if (status.wallet.balance !== K / 2 || status.wallet.spent !== 0) throw new Error(`a coin left: ${JSON.stringify(status.wallet)}`);
      await engine.close();
      // The 1-minute load average when the run started and ended (the machine is shared).
      runs.push({
        ingestMs, receiptsMs, settledMs, proofsMs: proofsAt - t0, totalMs, rounds, load: [loadStart, loadavg()[0]!],
        cpuMs: { engine: cpu1 - cpu0, engineIngest, engineToReceipts, engineToSettled, uc: others1.uc - others0.uc, mint: others1.mint - others0.mint, hop: others1.hop - others0.hop },
      });
      process.stdout.write(`run ${run + 1}: ${JSON.stringify(runs.at(-1))}\n`);
    }
  } finally {
    await hop.close();
    await stack.close();
  }
  if (await ucCoins(dir) !== ucCoinsBefore) throw new Error('the UC took a coin during a recovery');

  type Figure = Exclude<keyof Run, 'load' | 'cpuMs'>;
  const med = (k: Figure) => Math.round(median(runs.map((r) => r[k])));
  const medCpu = (k: keyof Run['cpuMs']) => Math.round(median(runs.map((r) => r.cpuMs[k])));
  const carouselS = K / (LINK_TOKENS_PER_S * FULL_WALK_SHARE);
  const result = {
    generatedAt: new Date().toISOString(),
    machine: `this 2-core workplace, shared; loopback; Node ${process.version}`,
    K,
    runs: RUNS,
    medianMs: {
      ingest: med('ingestMs'), receiptsBack: med('receiptsMs'), settled: med('settledMs'), proofsRestored: med('proofsMs'), total: med('totalMs'),
    },
    medianCpuMs: {
      engine: medCpu('engine'), engineIngest: medCpu('engineIngest'), engineToReceipts: medCpu('engineToReceipts'), engineToSettled: medCpu('engineToSettled'),
      uc: medCpu('uc'), mint: medCpu('mint'), hop: medCpu('hop'),
    },
    meaning: {
      ingest: 'the 10,000 carousel tokens stored and held (the carousel itself delivers them in `carousel.seconds`)',
      receiptsBack: 'from the start until every token has a verified receipt fetched again (10,000 lookups), the seed scan running beside them',
      settled: 'until the period is settled (the bill, combine, local check, /v1/settle)',
      proofsRestored: 'until the restored proofs are stored: NUT-09 scan of the seed counters and NUT-07 of every proof found',
      total: 'until the recovery is over (state restored)',
      cpu: 'CPU time (user + system) over the whole run, each process its own: the engine\'s from this process (process.cpuUsage), the UC\'s, the mint\'s and the SOCKS hop\'s from /proc/<pid>/stat; engineIngest: the engine\'s while it ingests the 10,000 tokens; engineToReceipts and engineToSettled: the engine\'s until those moments',
    },
    each: runs.map(({ load, cpuMs, ...r }) => ({
      ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)])),
      cpuMs: Object.fromEntries(Object.entries(cpuMs).map(([k, v]) => [k, Math.round(v)])),
      loadAverage1m: load.map((l) => Number(l.toFixed(2))),
    })),
    restore: { proofsMadeBySeed: K, unspent: K / 2, note: 'NUT-09 scan of the seed counters in batches of 100 until 1,000 empty ones, NUT-07 on every proof found (1,000 per request, Y = hash_to_curve(secret) on libsecp256k1); outputs, DLEQ checks and unblinding on libsecp256k1 (main/engine/cashu/native-restore.ts)' },
    receipts: { lookups: K, concurrency: CONCURRENCY, note: 'POST /v1/receipt, one fresh SOCKS connection and username each, 256 per engine round; receipts verified in batches; UC coins taken: 0' },
    carousel: {
      computed: true, seconds: Math.round(carouselS), tokensPerSecond: LINK_TOKENS_PER_S * FULL_WALK_SHARE,
      note: 'not measured here: 10,000 tokens at the full walk share (3 slots in 4) of the 39 token lines a second measured through a socat pty (docs/serial-protocol.md); lookups run as the tokens arrive',
    },
    setupMs: Math.round(setupMs),
    note: 'the engine in this process; the mint, the UC and the SOCKS hop each in its own process (set up beforehand in this one, not timed)',
  };
  writeFileSync(join(import.meta.dirname, 'restore.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  if (!SETUP_DIR) rmSync(dir, { recursive: true, force: true });
}
