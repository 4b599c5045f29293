// The privacy audit (issue 6, docs/threat-model.md §Privacy audit): one accelerated billing period end to end — the
// mint and the UC as their own processes, the meter emulator as its own process on a socat pty pair, the engine
// reading it and paying through the SOCKS hop — with everything the UC and the mint receive recorded (bodies, raw
// headers, TCP connections, the hop's CONNECTs with their credentials and times, and the UC's own traffic to the
// mint through a recording front). Then: no request carries the meter id (outside the settlement), a token index,
// K, or a value two payments share beyond the set, the period and the mint's keyset; and no process's log carries
// tokens, signatures, receipts, proof secrets or C's, the bill, K or an index, or the seed phrase.
// Beside it, on the same processes (issue 14): the mint pin (a UC that names another mint after first contact, while
// meter tokens wait to be paid) and the DLEQ refusals (the project's mint run with `--dleq forge`).
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDecodedToken } from '@cashu/cashu-ts';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../../main/api/index.js';
import { type Engine, createEngine, createLogger, meterKeysFromJson } from '../../main/engine/index.js';
import { openWalletDb } from '../../main/engine/wallet/index.js';
import { bytesToHex, newMeterState, p256PublicKey, tokenGen, type MeterState } from '../../protocol/index.js';
import { p256SecretKey } from '../../scripts/uc-fixture.js';
import { registerMeter, startServerProcesses } from '../../scripts/demo-stack.js';
import { startMeterProcess } from '../support/meter-process.js';
import { ptyPair, requireSocat } from '../support/pty.js';
import { type Exchange, type Recorder, startRecorder } from '../support/recorder.js';
import { TEST_WALLET_KEY, testUnlock } from '../../scripts/test-wallet-key.js';
import { scanAtRest } from '../support/at-rest-scan.js';

const hex = (b: Uint8Array | Buffer) => Buffer.from(b).toString('hex');

/** The demo's clock (scripts/demo.ts): a meter day in PERIOD_S seconds, about 30 tokens of 0.1 kWh. */
const PERIOD_S = 20;
const METER = ['--speed', String(86_400 / PERIOD_S), '--period-hours', '24', '--interval-ms', '500', '--unit', '0.1',
  '--start', '2026-01-05T00:00:00Z', '--household-seed', '7'];

/** Every string and number in a JSON value, with its path ("coin.proofs.0.secret"). */
function leaves(v: unknown, path = ''): [string, string][] {
  if (v === null || typeof v !== 'object') return [[path, String(v)]];
  return Object.entries(v).flatMap(([k, x]) => leaves(x, path ? `${path}.${k}` : k));
}

/** What must never be in a log: one entry per secret, with its kind (for the failure message only). */
interface Secret { kind: string; text: string }

/** Finds every secret in `logs` (name → text); K and an index count only next to words that give them a meaning. */
function scan(logs: Record<string, string>, secrets: readonly Secret[], K: number): string[] {
  const found: string[] = [];
  for (const [name, text] of Object.entries(logs)) {
    const lower = text.toLowerCase();
    for (const s of secrets) if (lower.includes(s.text.toLowerCase())) found.push(`${name}: ${s.kind}`);
    const k = new RegExp(`\\b(k|count|tokens?|units?|paid|receipts?)\\W{0,3}${K}\\b|\\b${K}\\W{0,3}(tokens?|units?|receipts?)\\b`, 'i');
    if (k.test(text)) found.push(`${name}: K`);
    if (/\b(index|idx)"?\s*[=:]\s*"?\d+|\bi\s*=\s*\d+/i.test(text)) found.push(`${name}: an index`);
  }
  return found;
}

describe('privacy audit of one accelerated period', () => {
  it('the UC and the mint learn only what protocol.md allows; no log carries a secret', { timeout: 150_000 }, async () => {
    requireSocat();
    const dir = mkdtempSync(join(tmpdir(), 'sipster-audit-'));
    const logs = { engine: '', uc: '', mint: '', meter: '' };
    let mintFront: Recorder | null = null;
    const servers = await startServerProcesses(dir, {
      mintFront: async (url) => (mintFront = await startRecorder(url)).url,
      output: (p, text) => void (logs[p] += text),
    });
    const ucFront = await startRecorder(servers.ucUrl);
    const pair = await ptyPair(dir);
    const meter = await startMeterProcess(pair.a, join(dir, 'meter-state.json'), METER);
    let engine: Engine | null = null;
    onTestFinished(async () => {
      await engine?.close();
      await meter.stop();
      await pair.close();
      await ucFront.close();
      await servers.close();
      await mintFront?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const pub = JSON.parse(readFileSync(`${meter.seedFile}.pub.json`, 'utf8')) as { meter: string; set: number; setPublicKey: string; billPublicKey: string };
    await registerMeter(servers.adminUrl, servers.adminToken, pub, [1, 2, 3]);

    // The demo's engine options (scripts/demo.ts): the timing policy on a billing calendar scaled like the meter,
    // automatic top-ups; its log lines kept for the scan.
    engine = await createEngine({
    unlock: testUnlock,
      dataDir: join(dir, 'home'), ucUrl: ucFront.url, socks: { host: servers.hop.host, port: servers.hop.port, label: 'demo-hop' },
      serial: { port: pair.b, keys: meterKeysFromJson(pub) }, tickMs: 250,
      billing: { periodMs: PERIOD_S * 1000, graceMs: (PERIOD_S * 1000) / 6 }, topUp: { units: 96, lowWater: 48 },
      log: createLogger((line) => (logs.engine += `${line}\n`)),
    });
    const settled = new Promise<void>((resolve) => engine!.onEvent((e) => { if (e.kind === 'period-settled' && e.period === 1) resolve(); }));
    await settled;
    const period = await engine.getPeriod(1);
    await engine.close();
    await meter.stop();
    logs.meter = meter.log();

    // What the household knows, from its wallet: the tokens of the period, the receipts, every proof, the bill with
    // its mask and K, the seed phrase.
    const db = openWalletDb(join(dir, 'home', 'wallet.sqlite'), TEST_WALLET_KEY);
    const tokens = db.prepare('SELECT t.T, t.sig, r.receipt FROM tokens t JOIN receipts r ON r.token_id = t.id WHERE t.period = 1').all() as { T: Buffer; sig: Buffer; receipt: Buffer }[];
    const proofs = db.prepare('SELECT keyset_id, secret, C FROM proofs').all() as { keyset_id: string; secret: string; C: string }[];
    const bill = db.prepare('SELECT meter, R, sig, mask, count FROM bills WHERE period = 1').get() as { meter: string; R: Buffer; sig: Buffer; mask: Buffer; count: number };
    const phrase = (db.prepare("SELECT value FROM meta WHERE key = 'seed-phrase'").get() as { value: string }).value.split(' ');
    db.close();
    const K = bill.count;
    // At rest (issue 14 §1): after the period the wallet's bytes hold none of it in readable form.
    const atRest = [...proofs.map((p) => p.secret), phrase.join(' '), ...tokens.flatMap((t) => [t.T, t.receipt]), bill.R, bill.mask];
    for (const f of ['wallet.sqlite', 'wallet.sqlite-wal'].map((n) => join(dir, 'home', n)).filter((f) => existsSync(f)))
      expect(scanAtRest(readFileSync(f), atRest), f).toEqual([]);
    expect(period).toMatchObject({ tokens: K, paid: K, settlement: { kind: 'settled' } });
    expect(tokens).toHaveLength(K);
    expect(K).toBeGreaterThan(5);

    // --- The network: every request of the engine went through the hop, each CONNECT with its own credentials. ---
    const hop = servers.hop.log;
    const ucPort = Number(new URL(ucFront.url).port);
    const mintPort = Number(new URL(mintFront!.url).port);
    expect(hop.every((c) => c.ok && c.host === '127.0.0.1' && (c.port === ucPort || c.port === mintPort))).toBe(true);
    expect(new Set(hop.map((c) => c.username)).size).toBe(hop.length);
    expect(new Set(hop.map((c) => c.password)).size).toBe(hop.length);
    expect(hop.every((c) => /^[0-9a-f]{24}$/.test(c.username ?? '') && /^[0-9a-f]{24}$/.test(c.password ?? ''))).toBe(true);
    const viaHop = new Set(hop.map((c) => c.localPort));
    const fromHousehold = (x: Exchange) => viaHop.has(x.remotePort);
    const toUc = ucFront.exchanges;
    expect(toUc.every(fromHousehold)).toBe(true);
    // One request per TCP connection, each connection its own CONNECT.
    for (const front of [ucFront, mintFront!]) {
      const mine = front.exchanges.filter(fromHousehold);
      expect(new Set(mine.map((x) => `${front.url}#${x.connection}`)).size).toBe(mine.length);
    }

    // --- Headers: the same minimal set in the same order for every request of a kind; no cookie, agent or id. ---
    const names = (x: Exchange) => x.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    const household = [...toUc, ...mintFront!.exchanges.filter(fromHousehold)];
    for (const x of household) expect(names(x)).toEqual(x.method === 'GET' ? ['host', 'accept', 'connection'] : ['host', 'accept', 'connection', 'content-type', 'content-length']);
    const pays = toUc.filter((x) => x.url === '/v1/pay'); // period 1's, and the next period's already under way
    const periodOf = (x: Exchange) => (JSON.parse(x.body) as { period: number }).period;
    expect(pays.filter((x) => periodOf(x) === 1)).toHaveLength(K);
    expect(new Set(pays.map((x) => JSON.stringify(x.rawHeaders))).size).toBe(1); // content-length too: one size for all

    // --- Payments: {set, period, token, signature, coin}, one 1-unit proof, nothing shared but set, period, keyset. ---
    const keysets = [...new Set(proofs.map((p) => p.keyset_id))];
    const payFields = pays.map((x) => {
      const body = JSON.parse(x.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['set', 'period', 'token', 'signature', 'coin']);
      const coin = getDecodedToken(String(body.coin), keysets);
      expect(coin.proofs).toHaveLength(1);
      expect(Object.keys(coin.proofs[0]!).sort()).toEqual(['C', 'amount', 'id', 'secret']); // no DLEQ, no witness
      const proof = { ...coin.proofs[0]!, amount: Number(coin.proofs[0]!.amount) };
      expect(proof.amount).toBe(1);
      return new Map(leaves({ ...body, coin: { mint: coin.mint, unit: coin.unit, memo: coin.memo, proof } }));
    });
    // The values two payments may share: the set and the period (every household of the set pays in it), the mint,
    // its unit, the 1-unit amount and the mint's keyset id (every household's coins come from the same keyset).
    const sharable = new Set(['set', 'period', 'coin.mint', 'coin.unit', 'coin.memo', 'coin.proof.amount', 'coin.proof.id']);
    const seen = new Map<string, string>();
    const shared = new Set<string>();
    for (const fields of payFields)
      for (const [path, value] of fields) {
        if (seen.has(`${path}=${value}`)) shared.add(path);
        seen.set(`${path}=${value}`, path);
      }
    expect([...shared].filter((p) => !sharable.has(p))).toEqual([]);
    expect(new Set(payFields.map((f) => f.get('coin.proof.secret'))).size).toBe(pays.length); // so: distinct secrets
    expect(payFields.filter((f) => f.get('period') === '1').map((f) => f.get('token')).sort()).toEqual(tokens.map((t) => hex(t.T)).sort());

    // --- Settlement: exactly what protocol.md §Settlement sends. ---
    const settles = toUc.filter((x) => x.url === '/v1/settle');
    expect(settles).toHaveLength(1);
    const settle = JSON.parse(settles[0]!.body) as Record<string, unknown>;
    expect(Object.keys(settle)).toEqual(['meter', 'period', 'fault', 'bill', 'billSignature', 'combined']);
    expect(settle).toMatchObject({ meter: bill.meter, period: 1, fault: false, bill: hex(bill.R), billSignature: hex(bill.sig) });
    expect(toUc.map((x) => x.url).filter((u) => u !== '/v1/pay' && u !== '/v1/settle' && u !== '/v1/params')).toEqual([]);
    // Key consistency: /v1/params read twice at first contact and again for period 1, each on its own connection
    // (and, by the hop's log above, its own SOCKS credentials), all answered alike.
    const paramsReads = toUc.filter((x) => x.url === '/v1/params');
    expect(paramsReads.length).toBeGreaterThanOrEqual(4);
    expect(new Set(paramsReads.map((x) => x.connection)).size).toBe(paramsReads.length);
    const sameForEveryone = (a: string) => {
      const p = JSON.parse(a) as { receiptKey: unknown; mint: unknown; sets: { set: number; tokenPublicKey: string }[] };
      return JSON.stringify([p.receiptKey, p.mint, p.sets.map((x) => [x.set, x.tokenPublicKey])]);
    };
    expect(new Set(paramsReads.map((x) => sameForEveryone(x.answer))).size).toBe(1);

    // --- No request carries the meter id (outside the settlement), K, an index, the mask or a receipt. ---
    const ucToMint = mintFront!.exchanges.filter((x) => !fromHousehold(x));
    expect(ucToMint.filter((x) => x.url === '/v1/swap').length).toBeGreaterThan(0); // the UC redeems the coins
    const everything = [...household, ...ucToMint];
    const bodies = everything.map((x) => `${x.url} ${x.rawHeaders.join(' ')} ${x.body}`.toLowerCase());
    // The seed phrase as runs of three words: a single word ("add", "fade") can be a piece of any hex string.
    const phraseRuns = phrase.slice(0, -2).map((_, i) => phrase.slice(i, i + 3).join(' '));
    const notInAnyRequest = [hex(bill.mask), ...tokens.map((t) => hex(t.receipt)), ...phraseRuns];
    for (const s of notInAnyRequest) expect(bodies.filter((b) => b.includes(s.toLowerCase()))).toEqual([]);
    expect(bodies.filter((b) => b.includes(bill.meter.toLowerCase()))).toHaveLength(1); // the settlement only
    const numbersOf = (x: Exchange) => {
      try { return leaves(JSON.parse(x.body)).filter(([p]) => p !== 'period' && p !== 'set'); } catch { return []; }
    };
    for (const x of [...pays, ...settles]) expect(numbersOf(x).filter(([, v]) => v === String(K))).toEqual([]);
    for (const x of [...pays, ...settles]) expect(leaves(JSON.parse(x.body)).map(([p]) => p).filter((p) => /index|idx|count|^k$/i.test(p))).toEqual([]);
    // The UC passes on the coin it got and nothing of the household's: no token, signature or bill.
    const household_bytes = [...tokens.flatMap((t) => [hex(t.T), hex(t.sig)]), hex(bill.R), hex(bill.sig)];
    for (const s of household_bytes) expect(ucToMint.filter((x) => x.body.toLowerCase().includes(s))).toEqual([]);

    // --- Logs of every process. ---
    const secrets: Secret[] = [
      ...tokens.flatMap((t) => [{ kind: 'a token', text: hex(t.T) }, { kind: 'a token signature', text: hex(t.sig) }, { kind: 'a receipt', text: hex(t.receipt) }]),
      ...proofs.flatMap((p) => [{ kind: 'a proof secret', text: p.secret }, { kind: "a proof's C", text: p.C }]),
      { kind: 'the bill', text: hex(bill.R) }, { kind: 'the bill signature', text: hex(bill.sig) }, { kind: 'the mask', text: hex(bill.mask) },
      ...phraseRuns.map((text) => ({ kind: 'the seed phrase', text })),
    ];
    expect(scan({ planted: `engine: paying ${hex(tokens[0]!.T)} now` }, secrets, K)).toEqual(['planted: a token']); // the scanner finds
    expect(scan({ planted: `period 1 closed with ${K} tokens` }, secrets, K)).toEqual(['planted: K']);
    expect(scan({ planted: 'paying token index=17' }, secrets, K)).toEqual(['planted: an index']);
    expect(scan({ planted: '{"msg":"paid","index":17}' }, secrets, K)).toEqual(['planted: an index']);
    expect(logs.uc).toMatch(/"url":"\/v1\/pay"/); // the UC logs at info level: method, path, status
    expect(logs.uc).not.toMatch(/remoteAddress|remotePort|user-agent/i); // and nothing of the connection
    expect(logs.meter.length).toBeGreaterThan(0);
    expect(scan(logs, secrets, K)).toEqual([]);

    // Timing is recorded, not asserted here (the timing policy's own tests own it): the spread of the payments.
    const at = pays.map((x) => x.at);
    const ucMintUrls = [...new Set(ucToMint.map((x) => x.url))].map((u) => `${u} ×${ucToMint.filter((x) => x.url === u).length}`).join(', ');
    console.log(`privacy audit: K = ${K}, ${hop.length} CONNECTs, ${pays.length} payments over ${Math.max(...at) - Math.min(...at)} ms, `
      + `the settlement ${settles[0]!.at - Math.max(...at)} ms after the last payment; UC→mint: ${ucMintUrls}`);
  });
});

describe('the mint pin and the DLEQ refusals, against real processes', () => {
  it("a UC naming another mint after first contact: 'mint-changed', the alarm, none of the tokens waiting paid, nothing to either mint; a forged DLEQ: 'dleq-invalid', nothing counted", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipster-audit-pin-'));
    let ucFront: Recorder | null = null;
    const stacks: { close(): Promise<void> }[] = [];
    const engines: Engine[] = [];
    onTestFinished(async () => {
      for (const e of engines) await e.close();
      for (const s of stacks) await s.close();
      await ucFront?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    // Two utilities with one receipt key: A names the honest mint, B names a second mint process that forges its DLEQ proofs.
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    // The mints' own addresses (no front: the engine's requests to them are counted at the SOCKS hop, by port).
    let mintA = '';
    let mintB = '';
    const a = await startServerProcesses(join(dir, 'a'), { mintFront: async (url) => (mintA = url) });
    stacks.push(a);
    copyFileSync(join(dir, 'a', 'uc.key'), join(dir, 'b', 'uc.key'));
    const b = await startServerProcesses(join(dir, 'b'), { mintFront: async (url) => (mintB = url), mintArgs: ['--dleq', 'forge'] });
    stacks.push(b);
    ucFront = await startRecorder(a.ucUrl);
    // A meter of set 1 registered with both utilities (the same sets: only the mint differs); its tokens, fed through
    // the engine's meter input, are what the engine would pay.
    const setKey = p256SecretKey();
    const meterKeys = { meter: 'M-PIN', set: 1, setPublicKey: bytesToHex(p256PublicKey(setKey)), billPublicKey: bytesToHex(p256PublicKey(p256SecretKey())) };
    for (const s of [a, b]) await registerMeter(s.adminUrl, s.adminToken, meterKeys, [1]);
    let meterState: MeterState = newMeterState(meterKeys.meter, 1, 1, new Uint8Array(randomBytes(32)));
    const meterToken = () => { const g = tokenGen(meterState, setKey); meterState = g.state; return g.token; };

    const port = (url: string) => Number(new URL(url).port);
    const connects = (hop: typeof a.hop, to: string) => hop.log.filter((c) => c.port === port(to)).length;
    // --- 1. The mint pin. First contact through utility A pins its mint; a top-up there shows the mint's requests are
    // counted, and a token paid at once (no timing policy) shows the payments are.
    const alarms: EngineEvent[] = [];
    const open = async () => {
      const e = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home-pin'), ucUrl: ucFront.url,
        socks: { host: a.hop.host, port: a.hop.port, label: 'demo-hop' }, tickMs: 3_600_000, payDelayMs: () => 0 });
      engines.push(e);
      e.onEvent((x) => x.kind === 'alarm' && alarms.push(x));
      return e;
    };
    let pinned = await open();
    await pinned.runOnce();
    expect((await pinned.getStatus()).utility.state).toBe('reachable');
    await pinned.topUp(5);
    expect(await pinned.getWallet()).toMatchObject({ balance: 5, mintUrl: mintA.replace(/\/$/, '') });
    expect(connects(a.hop, mintA)).toBeGreaterThan(0);
    pinned.ingest({ kind: 'token', token: meterToken() });
    await pinned.runOnce();
    expect(ucFront.exchanges.filter((x) => x.url === '/v1/pay')).toHaveLength(1);
    expect(await pinned.getPeriod(1)).toMatchObject({ tokens: 1, paid: 1 });
    const wallet = await pinned.getWallet();
    expect(wallet).toMatchObject({ balance: 4 });
    await engines.pop()!.close();
    // The UC's address now answers what utility B answers: the same key, another mint; the engine starts again (it
    // reads /v1/params at each start).
    const ucB = new URL(b.ucUrl);
    ucFront.respond = (req) => new Promise((resolve, reject) => {
      const up = httpRequest({ host: ucB.hostname, port: ucB.port, method: req.method, path: req.url, headers: req.body ? { 'content-type': 'application/json' } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })).once('error', reject);
      });
      up.once('error', reject);
      up.end(req.body);
    });
    const before = { hop: a.hop.log.length, uc: ucFront.exchanges.length, mintA: connects(a.hop, mintA) };
    pinned = await open();
    // Tokens waiting to be paid, due at once, when the engine meets the other mint: it must not pay them.
    for (let i = 0; i < 3; i++) pinned.ingest({ kind: 'token', token: meterToken() });
    expect(await pinned.getPeriod(1)).toMatchObject({ tokens: 4, paid: 1 });
    await pinned.runOnce(); // and twice more: it stays stopped, the new mint is not adopted behind the user's back
    await pinned.runOnce();
    await pinned.runOnce();
    const afterUc = ucFront.exchanges.slice(before.uc);
    expect(afterUc.filter((x) => x.url === '/v1/pay')).toEqual([]); // none of the three waiting tokens was paid
    expect(connects(a.hop, mintA)).toBe(before.mintA);
    expect(a.hop.log.slice(before.hop).filter((c) => c.port !== port(ucFront.url))).toEqual([]); // the hop saw no CONNECT to either mint
    expect(await pinned.getWallet()).toEqual(wallet); // the wallet as it was: its coins, of the pinned mint
    expect(await pinned.getPeriod(1)).toMatchObject({ tokens: 4, paid: 1 }); // the tokens still wait
    expect((await pinned.getStatus()).utility.state).toBe('mint-changed');
    expect(alarms).toEqual([expect.objectContaining({ kind: 'alarm', code: 'mint-changed', message: expect.stringContaining(mintB.replace(/\/$/, '')) })]); // raised once
    expect(afterUc.map((x) => x.url).filter((u) => u !== '/v1/params')).toEqual([]); // only the reads that found the change
    expect(afterUc.length).toBeGreaterThan(0);
    // --- 2. The DLEQ refusals. A household of utility B tops up at the forging mint: the mint signs, the engine refuses.
    const dleqAlarms: EngineEvent[] = [];
    const refusing = await createEngine({ unlock: testUnlock, dataDir: join(dir, 'home-dleq'), ucUrl: b.ucUrl,
      socks: { host: b.hop.host, port: b.hop.port, label: 'demo-hop' }, tickMs: 3_600_000 });
    engines.push(refusing);
    refusing.onEvent((e) => e.kind === 'alarm' && dleqAlarms.push(e));
    await refusing.runOnce();
    expect(await refusing.getWallet()).toMatchObject({ balance: 0, mintUrl: mintB.replace(/\/$/, '') });
    await expect(refusing.topUp(3)).rejects.toMatchObject({ code: 'dleq-invalid' });
    expect(dleqAlarms).toEqual([expect.objectContaining({ kind: 'alarm', code: 'dleq-invalid', message: expect.stringMatching(/not counted/) })]);
    expect(connects(b.hop, mintB)).toBeGreaterThan(0); // the engine did reach the forging mint
    expect(await refusing.getWallet()).toMatchObject({ balance: 0, stock: 0 });
    await engines.pop()!.close();
    const db = openWalletDb(join(dir, 'home-dleq', 'wallet.sqlite'), TEST_WALLET_KEY);
    expect(db.prepare('SELECT count(*) AS n FROM proofs').get()).toEqual({ n: 0 });
    db.close();
  });
});
