/**
 * `npm run engine -- [command] [options]`: the home engine without a window (issue 5).
 *
 *   run (default)   runs the engine: reads the meter, pays, settles; prints events (JSON lines with --json)
 *   status          prints the engine's status and exits
 *   seed            prints the seed phrase, once, for the user to write down
 *   top-up <units>  buys e-cash from the mint (through the proxy): prints the Lightning invoice to pay, waits until paid
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
import type { EngineEvent, HistoryQuery } from '../api/index.js';
import { createEngine, toApiError, type Engine, type EngineOptions } from '../engine/index.js';
import { LaunchOptionError, parseLaunchOptions, type Launch } from './launch-options.js';

process.umask(0o077); // whatever this process or its tor creates in the data folder is the user's alone

/** The history command's own options, taken out before the launch options (which every host shares) are read. */
function takeHistoryOptions(argv: string[]): { rest: string[]; query: Record<string, string> } {
  const rest: string[] = [];
  const query: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(bucket|from|to)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) rest.push(argv[i]!);
    else query[m[1]!] = m[2] ?? argv[++i] ?? '';
  }
  return { rest, query };
}

const { rest, query: historyOptions } = takeHistoryOptions(process.argv.slice(2));
let launch: Launch;
try {
  launch = parseLaunchOptions(rest, { defaultDataDir: './data', words: true });
  if (Object.keys(historyOptions).length > 0 && launch.words[0] !== 'history') throw new LaunchOptionError('unknown-option', '--bucket', '--bucket, --from and --to go with the history command');
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
  const query = { bucket: historyOptions.bucket ?? 'day', from: historyOptions.from ?? null, to: historyOptions.to ?? null } as HistoryQuery;
  if (!json) return void process.stdout.write(await engine.exportHistoryCsv(query));
  for (const b of await engine.getHistory(query))
    print({ start: b.start, importKwh: b.importKwh, exportKwh: b.exportKwh, gasM3: b.gasM3, waterM3: b.waterM3, costEstimate: b.costEstimate });
}

async function seedFromStdin(): Promise<string[]> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

async function main(): Promise<void> {
  const engine = await createEngine(options);
  try {
    switch (command) {
      case 'run': await run(engine); break;
      case 'status': print(await engine.getStatus()); break;
      case 'seed': print(await engine.takeSeedPhrase()); break;
      case 'top-up': print(await engine.topUp(Number(arg))); break;
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
