/**
 * `npm run engine -- [command] [options]`: the home engine without a window (issue 5).
 *
 *   run (default)   runs the engine: reads the meter, pays, settles; prints events (JSON lines with --json)
 *   status          prints the engine's status and exits
 *   seed            prints the seed phrase, once, for the user to write down
 *   top-up <units>  buys e-cash from the mint (through the proxy): prints the Lightning invoice to pay, waits until paid
 *   receive         swaps a Cashu token (cashuA… or cashuB…) of the wallet's mint into the wallet at once, as the
 *                   window's Receive does; the token is read from --token-file FILE, or stdin without it (never argv:
 *                   a token is money, and the process list would show it)
 *   withdraw --invoice BOLT11
 *                   prints what paying the Lightning invoice takes (amount, fee reserve) and pays nothing; with
 *                   --confirm it pays (NUT-05 melt) and prints the change returned, as the window's Withdraw does
 *   periods         lists the billing periods: tokens, paid, bill, settlement
 *   history         the energy history: --bucket hour|day|week|month|year [--from ISO] [--to ISO]; one JSON object per
 *                   bucket with --json ({start, importKwh, exportKwh, gasM3, waterM3, costEstimate}), else CSV
 *   export --period N  writes the period's evidence for a dispute (docs/dispute.md) to stdout, as the window's
 *                   Export button does; `npm run verify-export -- FILE` checks it. It holds ρ_t: share it by choice.
 *   restore         rebuilds a lost or damaged wallet from the seed phrase read on stdin (never argv: the process
 *                   list would show it), then runs like `run` until stopped (docs/engine.md §Recovery)
 *
 * Options (main/host/launch-options.ts): --data DIR  --uc URL  --mint URL  --socks HOST:PORT
 *          --socks-label system-tor|tor-browser|custom|demo-hop  --tor managed|system|tor-browser
 *          --serial PATH [--line dsmr4|dsmr22] or --meter tcp://…|homewizard://…  --meter-keys FILE (the meter's public keys, JSON)
 *          --passphrase-file FILE  --json
 * The wallet is encrypted: every command needs --passphrase-file (a 0600 file), else it ends 'wallet-locked'.
 * Nothing is sent without a SOCKS proxy. Output carries no token, receipt, coin or key, except `export`'s evidence
 * (tokens, receipts, the bill, ρ_t and C; never a coin or the seed).
 * @module
 */
import { readFileSync } from 'node:fs';
import type { EngineEvent, HistoryQuery } from '../api/index.js';
import { EngineError, createEngine, toApiError, type Engine, type EngineOptions } from '../engine/index.js';
import { LaunchOptionError, parseLaunchOptions, type Launch } from './launch-options.js';

process.umask(0o077); // whatever this process or its tor creates in the data folder is the user's alone

/** The commands' own options (a flag takes no value), taken out before the launch options (which every host shares) are read. */
const COMMAND_OPTIONS: Record<string, Record<string, 'value' | 'flag'>> = {
  history: { bucket: 'value', from: 'value', to: 'value' },
  receive: { 'token-file': 'value' },
  withdraw: { invoice: 'value', confirm: 'flag' },
};

function takeCommandOptions(argv: string[]): { rest: string[]; own: Record<string, string> } {
  const rest: string[] = [];
  const own: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    const kind = m && Object.values(COMMAND_OPTIONS).find((o) => m[1]! in o)?.[m[1]!];
    if (!m || !kind) rest.push(argv[i]!);
    else own[m[1]!] = kind === 'flag' ? (m[2] ?? 'true') : (m[2] ?? argv[++i] ?? '');
  }
  return { rest, own };
}

const { rest, own } = takeCommandOptions(process.argv.slice(2));
let launch: Launch;
try {
  launch = parseLaunchOptions(rest, { defaultDataDir: './data', words: true });
  const mine = COMMAND_OPTIONS[launch.words[0] ?? 'run'] ?? {};
  for (const name of Object.keys(own))
    if (!(name in mine)) throw new LaunchOptionError('unknown-option', `--${name}`, `--${name} goes with the ${Object.keys(COMMAND_OPTIONS).find((c) => name in COMMAND_OPTIONS[c]!)} command`);
  if (launch.words[0] === 'receive' && launch.words.length > 1) throw new LaunchOptionError('conflict', launch.words[1]!, 'receive reads the token from --token-file FILE or stdin, never the command line (the process list would show it)');
  if (launch.words[0] === 'withdraw' && !own.invoice) throw new LaunchOptionError('missing-value', '--invoice', 'withdraw wants --invoice BOLT11');
  if (own.confirm !== undefined && own.confirm !== 'true') throw new LaunchOptionError('bad-value', '--confirm', '--confirm takes no value');
} catch (e) {
  if (!(e instanceof LaunchOptionError)) throw e;
  process.stderr.write(`bad-request: ${e.message}\n`);
  process.exit(2);
}
const [command = 'run', arg] = launch.words;
if (command === 'export' && launch.period === null) {
  process.stderr.write('bad-request: export wants --period N\n');
  process.exit(2);
}
const json = launch.json;
const print = (o: unknown) => process.stdout.write(`${json ? JSON.stringify(o) : JSON.stringify(o, null, 2)}\n`);

// One-shot commands do no background work.
const options: EngineOptions = command === 'run' || command === 'restore' ? launch.engine : { ...launch.engine, tickMs: 2 ** 30 };

function describe(e: EngineEvent): string {
  switch (e.kind) {
    case 'status': return `status: proxy ${e.status.proxy.state}, utility ${e.status.utility.state}`;
    case 'reading': return '';
    case 'token-received': return `period ${e.period}: a token arrived`;
    case 'token-paid': return `period ${e.period}: a token was paid and its receipt verified`;
    case 'bill-received': return `period ${e.period}: the bill arrived`;
    case 'period-settled': return `period ${e.period}: settled (${e.answer})`;
    case 'settlement-waiting': return `period ${e.period}: waiting for ${e.missingTokens} tokens and ${e.missingReceipts} receipts`;
    case 'top-up': return e.progress.state === 'quoted' && e.progress.request !== null
      ? `top-up: pay this Lightning invoice of ${e.progress.units} sat${e.progress.expiry === null ? '' : ` before ${new Date(e.progress.expiry * 1000).toISOString()}`}: ${e.progress.request}`
      : `top-up: ${e.progress.state}`;
    case 'wallet': return `wallet: ${e.wallet.balance} units, ${e.wallet.stock} ready`;
    case 'proxy': return `proxy: ${e.proxy.state}${e.proxy.reason ? ` (${e.proxy.reason})` : ''}`;
    case 'tor': return `tor: ${e.tor.state} (${e.tor.progress}%)`;
    case 'meter': return `meter: ${e.meter.state}`;
    case 'recovery': return `recovery: ${e.recovery.state}`;
    case 'alarm': return `ALARM ${e.code}: ${e.message}`;
  }
}

async function run(engine: Engine): Promise<void> {
  engine.onEvent((e) => {
    if (json) return void (e.kind !== 'reading' && print(e));
    const line = describe(e);
    if (line) process.stdout.write(`${line}\n`);
  });
  const status = await engine.getStatus();
  if (status.proxy.reason) process.stdout.write(`${status.proxy.reason}\n`);
  await new Promise<void>((resolve) => { process.once('SIGINT', resolve).once('SIGTERM', resolve); });
}

async function history(engine: Engine): Promise<void> {
  const query = { bucket: own.bucket ?? 'day', from: own.from ?? null, to: own.to ?? null } as HistoryQuery;
  if (!json) return void process.stdout.write(await engine.exportHistoryCsv(query));
  for (const b of await engine.getHistory(query))
    print({ start: b.start, importKwh: b.importKwh, exportKwh: b.exportKwh, gasM3: b.gasM3, waterM3: b.waterM3, costEstimate: b.costEstimate });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function seedFromStdin(): Promise<string[]> {
  return (await readStdin()).trim().toLowerCase().split(/\s+/).filter(Boolean);
}

const units = (n: number | null) => `${n} unit${n === 1 ? '' : 's'}`;

function tokenFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new EngineError('bad-request', `--token-file: ${file} cannot be read (${(e as { code?: string }).code ?? 'error'})`);
  }
}

/** The window's Receive: the same engine call, the token from a file or stdin. */
async function receive(engine: Engine): Promise<void> {
  const file = own['token-file'];
  if ((file === undefined || file === '-') && process.stdin.isTTY) process.stderr.write('paste the Cashu token, then Ctrl-D\n');
  const r = await engine.receiveToken(file === undefined || file === '-' ? await readStdin() : tokenFile(file));
  if (json) return void print(r);
  process.stdout.write(`received ${units(r.amount)}; the balance is now ${units(r.balance)}\n`);
}

/** The window's Withdraw: the quote is shown first; only --confirm pays it. */
async function withdrawTo(engine: Engine): Promise<void> {
  const q = await engine.quoteWithdraw(own.invoice!);
  if (json) print(q);
  else process.stdout.write(`the invoice asks ${units(q.amount)}, plus at most ${units(q.feeReserve)} for routing (the fee reserve: what is not used comes back); the mint's offer ends ${q.expiresAt}; the balance is ${units(q.balance)}\n`);
  if (own.confirm === undefined) {
    if (!json) process.stdout.write('nothing was paid: run again with --confirm to pay it\n');
    return;
  }
  const w = await engine.withdraw(q.quote);
  if (json) return void print(w);
  process.stdout.write(w.state === 'paid'
    ? `paid ${units(w.amount)}; routing cost ${units(w.feePaid)}, ${units(w.change)} came back as change; the balance is now ${units(w.balance)}\n`
    : `the mint is still paying ${units(w.amount)}: what it holds stays out of the balance until it says paid or failed, and the engine asks it again when it runs (the run command)\n`);
}

async function main(): Promise<void> {
  const engine = await createEngine(options);
  try {
    switch (command) {
      case 'run': await run(engine); break;
      case 'status': print(await engine.getStatus()); break;
      case 'seed': print(await engine.takeSeedPhrase()); break;
      case 'top-up': print(await engine.topUp(Number(arg))); break;
      case 'receive': await receive(engine); break;
      case 'withdraw': await withdrawTo(engine); break;
      case 'periods': print(await engine.listPeriods()); break;
      case 'history': await history(engine); break;
      case 'export':
        process.stdout.write(`${JSON.stringify(await engine.exportReceipts(launch.period!), null, 2)}\n`);
        break;
      case 'restore': print(await engine.restoreWallet(await seedFromStdin())); await run(engine); break;
      default: throw new Error(`unknown command ${command}`);
    }
  } finally {
    await engine.close();
  }
}

main().catch((e: unknown) => {
  const { code, message } = toApiError(e);
  process.stderr.write(`${code}: ${code === 'internal' ? (e as Error).message : message}\n`);
  process.exitCode = 1;
});
