/**
 * `npm run demo -- [--data ./demo-data] [--headless] [--periods N] [--json] [--period-seconds 20]`
 *
 * Starts on loopback: the mint and the UC as their own processes (the demo meter registered, its periods opened), a socat pty pair as the
 * serial link (where socat is not on PATH, an in-process byte stream: the meter's paced writer into the bridge's
 * same telegram reader, and the demo says so), the meter emulator on an accelerated clock, the built-in SOCKS5 hop,
 * and the home engine reading the link and paying through the hop. Data lives in one folder; a second run continues where the first stopped.
 * With --periods N it stops after N periods settled in this run and exits 0 only if each settled with paid = tokens.
 * With --json it prints one JSON line per period and a summary line.
 *
 * The built-in hop is NOT anonymous (it is a plain local relay); the demo says so. A private Tor network is the
 * hardening issue's.
 * @module
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import type { EngineEvent, PeriodView } from '../main/api/index.js';
import { createEngine, toApiError, type Engine } from '../main/engine/index.js';
import { startBrowserHost } from '../main/host/browser/server.js';
import { startMeter } from '../meter-emulator/index.js';
import { hexToBytes } from '../protocol/index.js';
import { registerMeter, startServerProcesses, ucAdmin } from './demo-stack.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: './demo-data' },
    headless: { type: 'boolean', default: false },
    periods: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    'period-seconds': { type: 'string', default: '20' },
  },
});
const dataDir = resolve(values.data);
const periodsWanted = Number(values.periods);
const periodSeconds = Number(values['period-seconds']);
const say = (text: string) => { if (!values.json) process.stdout.write(`${text}\n`); };
/** Notes that are not results: stdout, or stderr with --json (stdout is then JSON lines only). */
const note = (text: string) => (values.json ? process.stderr : process.stdout).write(`${text}\n`);
const out = (o: unknown) => { if (values.json) process.stdout.write(`${JSON.stringify(o)}\n`); };

type SerialEnd = string | { stream: PassThrough };

const onPath = (cmd: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => {
  try {
    accessSync(join(dir, cmd), constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/** The serial link: a socat pty pair when socat is on PATH, else one in-process byte stream for both ends. */
async function serialLink(dir: string): Promise<{ kind: 'socat-pty' | 'in-process'; meterEnd: SerialEnd; homeEnd: SerialEnd; close(): void }> {
  if (onPath('socat')) return { kind: 'socat-pty', ...(await ptyPair(dir)) };
  const stream = new PassThrough();
  return { kind: 'in-process', meterEnd: { stream }, homeEnd: { stream }, close: () => void stream.destroy() };
}

/** A socat pty pair: the meter writes one end, the engine's bridge reads the other. */
async function ptyPair(dir: string): Promise<{ meterEnd: string; homeEnd: string; close(): void }> {
  const meterEnd = join(dir, 'tty-meter');
  const homeEnd = join(dir, 'tty-home');
  const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${meterEnd}`, `pty,raw,echo=0,link=${homeEnd}`], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => socat.once('error', () => reject(new Error('socat is needed for the demo (apt-get install socat)'))));
  for (let i = 0; i < 100 && !(existsSync(meterEnd) && existsSync(homeEnd)); i++)
    await Promise.race([new Promise((r) => setTimeout(r, 50)), failed]);
  if (!existsSync(homeEnd)) throw new Error('socat did not make the pty pair');
  return { meterEnd, homeEnd, close: () => void socat.kill() };
}

/** Browser mode (issue 7's host) when the window has been built; the Electron shell starts the engine itself. */
async function openWindow(engine: Engine): Promise<{ url: string; close(): Promise<void> } | null> {
  const rendererDir = join(import.meta.dirname, '..', 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) return null;
  return startBrowserHost({ engine: { api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, rendererDir });
}

async function main(): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const servers = await startServerProcesses(dataDir);
  const link = await serialLink(dataDir);
  if (link.kind === 'in-process') note('socat not found: the serial link is an in-process byte stream (paced at 115200 baud, same telegram decoder).');
  const periodHours = 24;
  const meter = await startMeter({
    port: link.meterEnd, seedFile: join(dataDir, 'meter-state.json'), speed: (periodHours * 3600) / periodSeconds,
    intervalMs: 500, periodHours, meterId: 'SIPSTER-DEMO-0001',
  });
  const keys = meter.publicKeys;
  await registerMeter(servers.adminUrl, servers.adminToken, keys, []);
  const openPeriods = async () => {
    const t = meter.record.state.period;
    for (const p of [t, t + 1]) await ucAdmin(servers.adminUrl, servers.adminToken, 'PUT', `/admin/v1/periods/${p}`, { state: 'open' });
  };
  await openPeriods();

  const engine: Engine = await createEngine({
    dataDir: join(dataDir, 'home'), ucUrl: servers.ucUrl, socks: { host: servers.hop.host, port: servers.hop.port, label: 'demo-hop' },
    demoMeter: { port: link.homeEnd, keys: { setPublicKey: hexToBytes(keys.setPublicKey), billPublicKey: hexToBytes(keys.billPublicKey), meter: keys.meter } },
    payDelayMs: () => Math.floor(Math.random() * periodSeconds * 25), // ≤ 1/40 of a period: the demo's clock is fast
    tickMs: 250,
  });
  say(`Sipster Home demo: data in ${dataDir}`);
  say('NOTE: payments go through a built-in local SOCKS5 hop, not Tor: this demo is NOT anonymous.');

  const firstTokenAt = new Map<number, number>();
  const lastPaidAt = new Map<number, number>();
  const coinsSpent = new Map<number, number>();
  const settledNow: PeriodView[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  engine.onEvent((e: EngineEvent) => {
    if (e.kind === 'token-received' && !firstTokenAt.has(e.period)) firstTokenAt.set(e.period, Date.now());
    if (e.kind === 'token-paid') { lastPaidAt.set(e.period, Date.now()); coinsSpent.set(e.period, (coinsSpent.get(e.period) ?? 0) + 1); }
    if (e.kind === 'alarm') say(`alarm: ${e.message}`);
    if (e.kind === 'period-settled') void engine.getPeriod(e.period).then((p) => {
      settledNow.push(p);
      const line = {
        period: p.period, tokens: p.tokens, paid: p.paid, receiptsVerified: p.paid, settled: p.settlement.kind === 'settled',
        coinsSpent: coinsSpent.get(p.period) ?? 0, payWallMs: (lastPaidAt.get(p.period) ?? 0) - (firstTokenAt.get(p.period) ?? 0),
      };
      out(line);
      say(`period ${p.period} settled: ${p.paid}/${p.tokens} tokens paid, receipts verified, the utility answered "${p.settlement.kind === 'settled' ? p.settlement.answer : '?'}"`);
      if (periodsWanted > 0 && settledNow.length >= periodsWanted) done();
    });
  });

  // Keep 1-unit coins in stock ahead of the payments, and the UC's periods open ahead of the meter.
  const upkeep = async () => {
    await openPeriods();
    if ((await engine.getWallet()).stock < 48) await engine.topUp(96);
  };
  await upkeep().catch((e) => say(`upkeep: ${(e as Error).message}`));
  const timer = setInterval(() => void upkeep().catch((e) => say(`upkeep: ${(e as Error).message}`)), 1000);
  const stop = () => done();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const window = values.headless ? null : await openWindow(engine);
  if (window) say(`Open the app: ${window.url}  (Ctrl-C stops the demo)`);
  else if (!values.headless) say('(no window built: npm run build:renderer; running headless. Ctrl-C stops.)');
  const deadline = periodsWanted > 0 ? setTimeout(stop, (periodsWanted + 2) * periodSeconds * 3000) : null;

  await finished;
  clearInterval(timer);
  if (deadline) clearTimeout(deadline);
  const wallet = await engine.getWallet();
  // Coins spent must equal tokens paid across every period, including a next period already under way.
  const walletPaidTokens = (await engine.listPeriods()).reduce((n, p) => n + p.paid, 0);
  // The UC's own count (admin API) of the tokens paid in the periods this run settled.
  const ucPeriods = (await (await fetch(new URL('/admin/v1/periods', servers.adminUrl), { headers: { authorization: `Bearer ${servers.adminToken}` } })).json()) as { period: number; paidTokens: number }[];
  const ucPaidTokens = ucPeriods.filter((p) => settledNow.some((s) => s.period === p.period)).reduce((n, p) => n + p.paidTokens, 0);
  const ok = periodsWanted > 0 ? settledNow.length >= periodsWanted && settledNow.every((p) => p.settlement.kind === 'settled' && p.paid === p.tokens) : true;
  out({
    summary: true, periods: settledNow.length, allSettled: ok, tokens: settledNow.reduce((s, p) => s + p.tokens, 0),
    paid: settledNow.reduce((s, p) => s + p.paid, 0), ucPaidTokens, walletSpent: wallet.spent, walletPaidTokens, balance: wallet.balance,
    hopConnections: servers.hop.log.length, distinctSocksUsers: new Set(servers.hop.log.map((c) => c.username)).size, anonymous: false,
    serialLink: link.kind,
  });
  await window?.close();
  await engine.close();
  await meter.stop();
  link.close();
  await servers.close();
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exit(1);
});
