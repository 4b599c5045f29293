/**
 * `npm run demo -- [--data ./demo-data] [--headless] [--periods N] [--json] [--period-seconds 20] [--no-tor]
 *                 [--passphrase-file FILE]`
 *
 * Starts on loopback: the mint and the UC as their own processes (the demo meter registered, its periods opened), a socat pty pair as the
 * serial link (where socat is not on PATH, an in-process byte stream: the meter's paced writer into the bridge's
 * same telegram reader, and the demo says so), the meter emulator on an accelerated clock, and the home engine
 * reading the link and paying under the timing policy on a billing calendar scaled like the meter's. Where tor is
 * installed, payments go over a private Tor network on loopback (scripts/tor-network) that the engine's own tor
 * joins (proxy `managed`: the product's path); with --no-tor, without tor, or when that network fails to start (said on
 * one line), through the built-in SOCKS5 hop. Data lives in one folder; a second run continues where the first stopped.
 * The wallet is encrypted with a key made from --passphrase-file (0600); without it the demo makes a random one,
 * `<data>/demo-passphrase` (0600), and says so: a demo's key beside its data protects nothing from someone who copies
 * the whole folder.
 * With --periods N it stops after N periods settled in this run and exits 0 only if each settled with every token
 * paid and its receipt in the wallet. With --json it prints one JSON line per period (counted from the wallet) and a
 * summary line; it exits 0 only after the summary is out.
 *
 * Neither path hides anything here (everything runs on this computer); the demo says which one it uses, and the
 * summary line names it (`path`).
 *
 * The window: the Electron app when Electron's binary is installed (it runs the engine itself, in its utility
 * process, with the same launch options a user would give it), else browser mode, whose URL is printed and opened in
 * the default browser when one is configured ($BROWSER, or xdg-open on a desktop).
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import type { EngineEvent, PeriodView } from '../main/api/index.js';
import { createEngine, toApiError, type Engine, type EngineOptions } from '../main/engine/index.js';
import { type Db, periodPayments } from '../main/engine/wallet/index.js';
import { findTor } from '../main/engine/tor/index.js';
import { startBrowserHost } from '../main/host/browser/server.js';
import { readPassphraseFile } from '../main/host/launch-options.js';
import { startMeter } from '../meter-emulator/index.js';
import { hexToBytes } from '../protocol/index.js';
import { registerMeter, startServerProcesses, ucAdmin } from './demo-stack.js';
import { onPath } from './system-tools.js';
import { type PrivateTorNetwork, type StreamWatch, startPrivateTorNetwork, watchStreamsIn } from './tor-network/index.js';

const USAGE = 'usage: npm run demo -- [--data DIR] [--headless] [--periods N] [--json] [--period-seconds S] [--no-tor] [--passphrase-file F]';
/** The options, or a one-line reason and exit 2 (never a stack trace). */
function options() {
  try {
    const { values } = parseArgs({
      options: {
        data: { type: 'string', default: './demo-data' },
        headless: { type: 'boolean', default: false },
        periods: { type: 'string', default: '0' },
        json: { type: 'boolean', default: false },
        'period-seconds': { type: 'string', default: '20' },
        'no-tor': { type: 'boolean', default: false },
        'passphrase-file': { type: 'string' },
      },
    });
    if (!/^\d+$/.test(values.periods)) throw new Error(`--periods takes a whole number, not "${values.periods}"`);
    if (!(Number(values['period-seconds']) > 0)) throw new Error(`--period-seconds takes a positive number of seconds, not "${values['period-seconds']}"`);
    return values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}
const values = options();
const dataDir = resolve(values.data);
const periodsWanted = Number(values.periods);
const periodSeconds = Number(values['period-seconds']);
const say = (text: string) => { if (!values.json) process.stdout.write(`${text}\n`); };
/** Notes that are not results: stdout, or stderr with --json (stdout is then JSON lines only). */
const note = (text: string) => (values.json ? process.stderr : process.stdout).write(`${text}\n`);
const out = (o: unknown) => { if (values.json) process.stdout.write(`${JSON.stringify(o)}\n`); };

type SerialEnd = string | { stream: PassThrough };

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
  process.once('exit', () => socat.kill()); // however the demo ends (a failure half-way included), the pair ends with it
  const failed = new Promise<never>((_, reject) => socat.once('error', () => reject(new Error('socat is needed for the demo (apt-get install socat)'))));
  for (let i = 0; i < 100 && !(existsSync(meterEnd) && existsSync(homeEnd)); i++)
    await Promise.race([new Promise((r) => setTimeout(r, 50)), failed]);
  if (!existsSync(homeEnd)) throw new Error('socat did not make the pty pair');
  return { meterEnd, homeEnd, close: () => void socat.kill() };
}

/** A private Tor network on loopback where tor is installed, unless --no-tor: the engine's own tor joins it. */
async function privateTor(dir: string): Promise<PrivateTorNetwork | null> {
  if (values['no-tor']) return null;
  try {
    findTor();
  } catch {
    note('tor not found (apt-get install tor): payments go through the built-in hop instead.');
    return null;
  }
  note('Starting a private Tor network on loopback: 3 authorities, 2 exits (15-30 s) ...');
  try {
    return await startPrivateTorNetwork({ dir: join(dir, 'tor-network') });
  } catch (e) {
    // Its own message names the node that failed and the tail of its log.
    note(`The private Tor network did not start (${(e as Error).message.split('\n')[0]}): payments go through the built-in hop instead.`);
    return null;
  }
}

/** STREAM events of the engine's own tor, subscribed as soon as its control port is up (before any request). */
async function engineTorStreams(torDir: string): Promise<StreamWatch> {
  const ready = () => { try { return statSync(join(torDir, 'control_auth_cookie')).size === 32 && existsSync(join(torDir, 'control-port')); } catch { return false; } };
  for (let i = 0; i < 600 && !ready(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!ready()) throw new Error(`the engine's own tor opened no control port in 60 s (its log: ${join(torDir, 'notice.log')})`);
  return watchStreamsIn(torDir);
}

/** Browser mode (issue 7's host) when the window has been built; the Electron shell starts the engine itself. */
async function openWindow(engine: Engine): Promise<{ url: string; close(): Promise<void> } | null> {
  const rendererDir = join(import.meta.dirname, '..', 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) return null;
  return startBrowserHost({ engine: { api: engine, onEvent: (l) => engine.onEvent(l), toApiError }, rendererDir });
}

/** Electron's binary when it is installed (npm leaves it out under ELECTRON_SKIP_BINARY_DOWNLOAD: then null). */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // "Electron failed to install correctly": no binary
  }
}

/** Opens the browser-mode URL in the default browser, when this session has one. */
function openInBrowser(url: string): boolean {
  const desktop = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const command = process.env.BROWSER || (desktop && onPath('xdg-open') ? 'xdg-open' : null);
  if (!command) return false;
  spawn(command, [url], { detached: true, stdio: 'ignore' }).on('error', () => {}).unref();
  return true;
}

/**
 * The Electron app on the demo's stack: its engine reads the pty, pays over the private Tor network (its own tor
 * joining it through --torrc) or the hop. Resolves with Electron's exit code; Ctrl-C closes it.
 */
async function runElectron(electron: string, a: { home: string; ucUrl: string; serial: string; keys: unknown; proxy: string[]; passphraseFile: string }): Promise<number> {
  note('Electron found: building the app (npm run build:app) ...');
  if (spawnSync('npm', ['run', '-s', 'build:app'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run build:app failed');
  const keysFile = join(dataDir, 'meter-keys.json');
  writeFileSync(keysFile, JSON.stringify(a.keys));
  const app = spawn(electron, [join(import.meta.dirname, '..', 'dist', 'electron', 'main.mjs'), '--data', a.home, '--uc', a.ucUrl,
    '--serial', a.serial, '--meter-keys', keysFile, '--passphrase-file', a.passphraseFile, ...a.proxy], { stdio: 'inherit' });
  onSignal = () => app.kill('SIGTERM');
  say('The Sipster Home window is open (Electron); closing it stops the demo.');
  return new Promise((resolve) => app.once('exit', (code) => resolve(code ?? 1)).once('error', () => resolve(1)));
}

/** The demo's own passphrase file, made once (random, 0600) when the user gave none. */
function demoPassphrase(): string {
  const file = join(dataDir, 'demo-passphrase');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  note(`The wallet is encrypted with a key made from ${file} (a demo's passphrase beside its data: give yours with --passphrase-file).`);
  return file;
}

async function main(): Promise<number> {
  mkdirSync(dataDir, { recursive: true });
  const network = await privateTor(dataDir);
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

  /** The demo's parts, last started first stopped (the engine or the app before them). */
  const stopStack = async () => {
    await meter.stop();
    link.close();
    await servers.close();
    await network?.stop();
  };

  const home = join(dataDir, 'home');
  const passphraseFile = values['passphrase-file'] ?? demoPassphrase();
  // The network is new every run: what the engine's tor cached of the last one is of no use.
  if (network) rmSync(join(home, 'tor'), { recursive: true, force: true });
  const electron = values.headless || typeof link.homeEnd !== 'string' ? null : electronBinary();
  if (electron) {
    const torrc = join(dataDir, 'engine-torrc');
    if (network) writeFileSync(torrc, `${network.clientTorrc.join('\n')}\n`);
    const timer = setInterval(() => void openPeriods().catch(() => {}), 1000);
    const code = await runElectron(electron, {
      home, ucUrl: servers.ucUrl, serial: link.homeEnd as string, keys, passphraseFile,
      proxy: network ? ['--tor', 'managed', '--torrc', torrc] : ['--socks', `${servers.hop.host}:${servers.hop.port}`, '--socks-label', 'demo-hop'],
    });
    clearInterval(timer);
    await stopStack();
    return code;
  }
  const route: Partial<EngineOptions> = network
    ? { proxy: { kind: 'managed' }, tor: { torrc: network.clientTorrc } }
    : { socks: { host: servers.hop.host, port: servers.hop.port, label: 'demo-hop' } };
  let wallet: Db | null = null;
  const engine: Engine = await createEngine({
    unlock: { kind: 'passphrase', passphrase: readPassphraseFile(passphraseFile) },
    dataDir: home, ucUrl: servers.ucUrl, ...route,
    onWalletOpen: (db) => (wallet = db), // the period lines count receipts and spent coins from the wallet itself
    demoMeter: { port: link.homeEnd, keys: { setPublicKey: hexToBytes(keys.setPublicKey), billPublicKey: hexToBytes(keys.billPublicKey), meter: keys.meter } },
    // The meter's day is periodSeconds long: the billing calendar (and with it the timing policy) is scaled alike,
    // its grace window 5/30 of a period as for a 30-day month with 5 days' grace.
    billing: { periodMs: periodSeconds * 1000, graceMs: (periodSeconds * 1000) / 6 },
    topUp: { units: 96, lowWater: 48 },
    tickMs: 250,
  });
  // Listening before anything else is awaited: a period settled meanwhile would be missing from the lines.
  const settledNow: PeriodView[] = [];
  const periodLines = followPeriods(engine, () => wallet!, settledNow);
  say(`Sipster Home demo: data in ${dataDir}`);
  const streams = network ? await engineTorStreams(join(home, 'tor')) : null;
  if (network) say('Payments go over a private Tor network on loopback: it hides nothing from you, but shows the real path (the engine runs its own tor). --no-tor uses the built-in hop.');
  else say('NOTE: payments go through a built-in local SOCKS5 hop, not Tor: this demo is NOT anonymous.');

  // The UC's periods open ahead of the meter (the engine tops its coins up by itself: EngineOptions.topUp).
  const upkeep = openPeriods;
  await upkeep().catch((e) => say(`upkeep: ${(e as Error).message}`));
  const timer = setInterval(() => void upkeep().catch((e) => say(`upkeep: ${(e as Error).message}`)), 1000);
  const stop = () => periodLines.stop();
  onSignal = stop;
  const window = values.headless ? null : await openWindow(engine);
  if (window) say(`Open the app: ${window.url}  (Ctrl-C stops the demo)${openInBrowser(window.url) ? ' — opened in your browser' : ''}`);
  else if (!values.headless) say('(no window built: npm run build:renderer; running headless. Ctrl-C stops.)');
  const deadline = periodsWanted > 0 ? setTimeout(stop, (periodsWanted + 2) * periodSeconds * 3000) : null;

  await periodLines.finished; // every line under way is out; later settlements are not this run's
  clearInterval(timer);
  if (deadline) clearTimeout(deadline);
  const coins = await engine.getWallet();
  // Coins spent must equal tokens paid across every period, including a next period already under way.
  const walletPaidTokens = (await engine.listPeriods()).reduce((n, p) => n + p.paid, 0);
  // The UC's own count (admin API) of the tokens paid in the periods this run settled.
  const ucPeriods = (await (await fetch(new URL('/admin/v1/periods', servers.adminUrl), { headers: { authorization: `Bearer ${servers.adminToken}` } })).json()) as { period: number; paidTokens: number }[];
  const ucPaidTokens = ucPeriods.filter((p) => settledNow.some((s) => s.period === p.period)).reduce((n, p) => n + p.paidTokens, 0);
  const ok = periodsWanted > 0 ? settledNow.length >= periodsWanted && periodLines.allPaid() : true;
  out({
    summary: true, periods: settledNow.length, allSettled: ok, tokens: settledNow.reduce((s, p) => s + p.tokens, 0),
    paid: settledNow.reduce((s, p) => s + p.paid, 0), ucPaidTokens, walletSpent: coins.spent, walletPaidTokens, balance: coins.balance,
    path: network ? 'private-tor' : 'demo-hop', ...proxyCounts(streams, servers.hop.log), anonymous: false,
    serialLink: link.kind,
  });
  streams?.close();
  await window?.close();
  await engine.close();
  await stopStack();
  return ok ? 0 : 1;
}

/**
 * One JSON line per period the engine settles (and a sentence without --json), counted from the wallet: receipts
 * stored as verified and coins spent, which differ from the tokens when something is wrong. `finished` resolves once
 * `periodsWanted` lines are out, or after `stop()` once the lines under way are; nothing is read after that.
 */
function followPeriods(engine: Engine, wallet: () => Db, settled: PeriodView[]) {
  const firstTokenAt = new Map<number, number>();
  const lastPaidAt = new Map<number, number>();
  const underWay = new Set<Promise<void>>();
  const lines: { tokens: number; paid: number; receiptsVerified: number }[] = [];
  let stopping = false;
  let done!: () => void;
  const reported = new Promise<void>((r) => (done = r));
  const report = async (period: number) => {
    const p = await engine.getPeriod(period);
    const counted = periodPayments(wallet(), period);
    if (p.settlement.kind !== 'settled') return;
    settled.push(p);
    lines.push({ tokens: p.tokens, paid: p.paid, receiptsVerified: counted.receiptsVerified });
    out({
      period: p.period, tokens: p.tokens, paid: p.paid, receiptsVerified: counted.receiptsVerified, settled: true,
      coinsSpent: counted.coinsSpent, payWallMs: (lastPaidAt.get(p.period) ?? 0) - (firstTokenAt.get(p.period) ?? 0),
    });
    say(`period ${p.period} settled: ${p.paid}/${p.tokens} tokens paid, ${counted.receiptsVerified} receipts verified, the utility answered "${p.settlement.answer}"`);
    if (periodsWanted > 0 && settled.length >= periodsWanted) {
      stopping = true;
      done();
    }
  };
  engine.onEvent((e: EngineEvent) => {
    if (e.kind === 'token-received' && !firstTokenAt.has(e.period)) firstTokenAt.set(e.period, Date.now());
    if (e.kind === 'token-paid') lastPaidAt.set(e.period, Date.now());
    if (e.kind === 'alarm') say(`alarm: ${e.message}`);
    if (e.kind !== 'period-settled' || stopping) return;
    const line = report(e.period).catch((err: unknown) => { note(`period ${e.period}: ${(err as Error).message}`); });
    underWay.add(line);
    void line.finally(() => underWay.delete(line));
  });
  return {
    finished: reported.then(() => Promise.all(underWay)).then(() => {}),
    stop: () => { stopping = true; done(); },
    /** Every period reported has every token paid, each with a receipt in the wallet. */
    allPaid: () => lines.every((l) => l.paid === l.tokens && l.receiptsVerified === l.tokens),
  };
}

/** Requests that went through the proxy, their SOCKS usernames, and (Tor) their circuits: one each per request. */
function proxyCounts(streams: StreamWatch | null, hopLog: readonly { username: string | null }[]) {
  if (!streams) return { connections: hopLog.length, distinctSocksUsers: new Set(hopLog.map((c) => c.username)).size };
  const mine = streams.streams().filter((s) => s.username !== null); // the others are tor's own directory fetches
  return { connections: mine.length, distinctSocksUsers: new Set(mine.map((s) => s.username)).size, distinctCircuits: new Set(mine.map((s) => s.circuitId)).size };
}

// The exit code says whether main() ran to its end: 0 only then, after stdout is flushed. Were the process to end
// any other way (its event loop empty while main() still waits, or a process.exit elsewhere), it is not 0.
let ended = false;
process.on('exit', (code) => {
  if (ended || code !== 0) return;
  process.exitCode = 1;
  process.stderr.write('demo failed: it stopped before it finished (no summary)\n');
});
// Ctrl-C or SIGTERM: while the demo starts, it exits (its exit hooks end the servers and tors it started); once it
// runs, it stops the way it ends, with a summary.
let onSignal: () => void = () => process.exit(1);
process.on('SIGINT', () => onSignal()).on('SIGTERM', () => onSignal());
const flushed = () => new Promise<void>((r) => process.stdout.write('', () => r()));
main().then(async (code) => {
  await flushed();
  ended = true;
  process.exit(code);
}, (e: unknown) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exit(1);
});
