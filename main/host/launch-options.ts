/**
 * The launch options of every host (`npm run engine`, `npm run app:browser`, the Electron app's engine process):
 * argv → EngineOptions, read in one place so the three hosts cannot drift apart.
 *
 *   --data DIR                the wallet's folder (default: the host's own)
 *   --uc URL  --mint URL      the utility and the mint (https, or http to a .onion or loopback); remembered by the
 *                             engine once given
 *   --socks HOST:PORT         a SOCKS5 proxy, with --socks-label system-tor|tor-browser|custom|demo-hop
 *   --tor managed|system|tor-browser
 *                             the engine's own tor, or the usual SOCKS port of a system tor (9050) or Tor Browser (9150)
 *   --torrc FILE              extra torrc lines for the engine's own tor (with --tor managed), e.g. to join a private
 *                             test network (the demo)
 *   --serial PATH             the meter's serial port, with --line dsmr4|dsmr22 (115200 8N1 with CRC, default; or
 *                             9600 7E1 without: DSMR 2.2/3.0) and --meter-keys FILE (its public keys, JSON)
 *   --meter ADDRESS           instead, a meter on the network: tcp://HOST:PORT or homewizard://HOST[:PORT] (with
 *                             --line and --meter-keys as for --serial)
 *   --passphrase-file FILE    the wallet's passphrase (its first line), from a file only its owner can read (0600):
 *                             the wallet is encrypted with a key made from it; without it the engine is
 *                             'wallet-locked' (the Electron app keeps its own key in the OS keychain instead)
 *   --json                    JSON lines on stdout (the CLI)
 *   --port N                  the browser host's loopback port (only where the host asks for it)
 *
 * Bad input throws a LaunchOptionError naming the option; nothing is started. Electron's argv also carries
 * Chromium's switches and the app's path: `lenient` lets unknown options and words through.
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ProxyConfig } from '../api/index.js';
import { checkMeterChoice, cleartextRefusal, meterKeysFromJson, type EngineOptions } from '../engine/index.js';

type SocksLabel = Extract<ProxyConfig, { kind: 'socks' }>['label'];
const LABELS: readonly SocksLabel[] = ['system-tor', 'tor-browser', 'custom', 'demo-hop'];
type Socks = NonNullable<EngineOptions['socks']>;

/** The SOCKS ports a system tor and Tor Browser listen on by default (docs/tor.md). */
const NAMED_TOR = {
  system: { host: '127.0.0.1', port: 9050, label: 'system-tor' },
  'tor-browser': { host: '127.0.0.1', port: 9150, label: 'tor-browser' },
} as const satisfies Record<string, Socks>;
const TOR_CHOICES = ['managed', ...Object.keys(NAMED_TOR)];

export type LaunchOptionErrorCode = 'unknown-option' | 'missing-value' | 'bad-value' | 'unreadable-file' | 'conflict';

export class LaunchOptionError extends Error {
  override readonly name = 'LaunchOptionError';
  constructor(
    readonly code: LaunchOptionErrorCode,
    /** The option at fault, as typed (`--socks`), or the stray word. */
    readonly option: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface LaunchSettings {
  /** The wallet's folder when --data is not given. */
  defaultDataDir: string;
  /** Let unknown options and stray words through (Electron: Chromium's switches, the app path). */
  lenient?: boolean;
  /** Accept --port N. */
  port?: boolean;
  /** Accept words (the CLI's command and its argument). */
  words?: boolean;
}

export interface Launch {
  engine: EngineOptions;
  json: boolean;
  /** --port, 0 (any free port) when not given. */
  port: number;
  words: string[];
  /** --period (the CLI's `export`), null when not given. */
  period: number | null;
}

const OPTIONS = {
  data: { type: 'string' }, uc: { type: 'string' }, mint: { type: 'string' },
  socks: { type: 'string' }, 'socks-label': { type: 'string' }, tor: { type: 'string' }, torrc: { type: 'string' },
  serial: { type: 'string' }, meter: { type: 'string' }, line: { type: 'string' }, 'meter-keys': { type: 'string' }, 'passphrase-file': { type: 'string' }, json: { type: 'boolean' }, port: { type: 'string' },
  period: { type: 'string' },
} as const;

function parse(argv: readonly string[], s: LaunchSettings) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: !s.lenient, allowPositionals: Boolean(s.lenient || s.words) });
  } catch (e) {
    // node:util names the option only inside its message.
    const { code, message } = e as { code?: string; message: string };
    const option = /'([^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new LaunchOptionError('unknown-option', option, `unknown option ${option}`, { cause: e });
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new LaunchOptionError('unknown-option', option, `unexpected word ${option}`, { cause: e });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('does not take an argument'))
      throw new LaunchOptionError('bad-value', option, `${option} takes no value`, { cause: e });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new LaunchOptionError('missing-value', option, `${option} wants a value`, { cause: e });
    throw e;
  }
}

/** A string option's value; lenient parsing turns a value-less `--x` into `true` or takes the next `--y` as its value. */
function text(values: Record<string, unknown>, name: keyof typeof OPTIONS): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '' || v.startsWith('-')) throw new LaunchOptionError('missing-value', `--${name}`, `--${name} wants a value`);
  return v;
}

const bad = (option: string, message: string) => new LaunchOptionError('bad-value', option, `${option} ${message}`);

/** https, or plain http to a .onion or loopback (the demo, tests): a coin on plain http is readable on the way. */
function baseUrl(option: string, value: string, what: string): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw bad(option, 'wants an https URL');
  const refusal = cleartextRefusal(url, what);
  if (refusal) throw bad(option, `refused: ${refusal}`);
  return value;
}

function port(option: string, value: string, min: number): number {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= 65535)) throw bad(option, `wants a port number (${min}–65535)`);
  return n;
}

/** `HOST:PORT`, `[v6]:PORT`. */
function socksAddress(value: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const host = value.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  if (at < 1 || host === '') throw bad('--socks', 'wants HOST:PORT');
  return { host, port: port('--socks', value.slice(at + 1), 1) };
}

function proxy(socks: string | undefined, label: string | undefined, tor: string | undefined): Partial<EngineOptions> {
  if (tor !== undefined) {
    if (socks !== undefined || label !== undefined) throw new LaunchOptionError('conflict', '--tor', '--tor names the proxy: leave out --socks and --socks-label');
    if (tor === 'managed') return { proxy: { kind: 'managed' } };
    if (tor in NAMED_TOR) return { socks: NAMED_TOR[tor as keyof typeof NAMED_TOR] };
    throw bad('--tor', `wants one of ${TOR_CHOICES.join(', ')}`);
  }
  if (label !== undefined && !LABELS.includes(label as SocksLabel)) throw bad('--socks-label', `wants one of ${LABELS.join(', ')}`);
  if (socks === undefined) {
    if (label !== undefined) throw new LaunchOptionError('conflict', '--socks-label', '--socks-label goes with --socks');
    return {};
  }
  return { socks: { ...socksAddress(socks), label: (label ?? 'custom') as SocksLabel } };
}

/** The lines of a torrc file, without blanks and comments. */
function torrcLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  } catch (e) {
    throw new LaunchOptionError('unreadable-file', '--torrc', `--torrc: cannot read ${file} (${(e as { code?: string }).code ?? 'error'})`, { cause: e });
  }
}

function meterKeys(file: string): NonNullable<NonNullable<EngineOptions['serial']>['keys']> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as { code?: string }).code ?? 'not JSON';
    throw new LaunchOptionError(why === 'not JSON' ? 'bad-value' : 'unreadable-file', '--meter-keys', `--meter-keys: cannot read ${file} (${why})`, { cause: e });
  }
  try {
    return meterKeysFromJson(json);
  } catch (e) {
    throw new LaunchOptionError('bad-value', '--meter-keys', `--meter-keys: ${file} is not a meter key file`, { cause: e });
  }
}

const LINES = ['dsmr4', 'dsmr22'] as const;

/** --serial or --meter, with --line and --meter-keys: the meter the engine reads at start (the window's MeterChoice). */
function meterSource(serial: string | undefined, address: string | undefined, line: string | undefined, keysFile: string | undefined): Partial<EngineOptions> {
  if (serial !== undefined && address !== undefined) throw new LaunchOptionError('conflict', '--meter', '--meter and --serial name two meters: give one');
  for (const [option, value] of [['--line', line], ['--meter-keys', keysFile]] as const)
    if (value !== undefined && serial === undefined && address === undefined) throw new LaunchOptionError('conflict', option, `${option} goes with --serial or --meter`);
  if (line !== undefined && !(LINES as readonly string[]).includes(line)) throw bad('--line', `wants one of ${LINES.join(', ')}`);
  const extra = { ...(line !== undefined ? { line: line as (typeof LINES)[number] } : {}), ...(keysFile !== undefined ? { keys: meterKeys(keysFile) } : {}) };
  if (serial !== undefined) return { serial: { port: serial, ...extra } };
  if (address === undefined) return {};
  let choice;
  try {
    choice = checkMeterChoice({ kind: 'network', address });
  } catch (e) {
    throw new LaunchOptionError('bad-value', '--meter', `--meter ${(e as Error).message}`, { cause: e });
  }
  return choice.kind === 'network' ? { network: { address: choice.address, ...extra } } : {};
}

/**
 * The passphrase in `file`'s first line; the file must be the user's alone (no group or other rights).
 * @throws LaunchOptionError naming --passphrase-file
 */
export function readPassphraseFile(file: string): string {
  const option = '--passphrase-file';
  let text: string;
  try {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0)
      throw new LaunchOptionError('bad-value', option, `${option}: ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it first`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof LaunchOptionError) throw e;
    throw new LaunchOptionError('unreadable-file', option, `${option}: cannot read ${file} (${(e as { code?: string }).code ?? 'error'})`, { cause: e });
  }
  const line = text.split(/\r?\n/)[0]!;
  if (line === '') throw new LaunchOptionError('bad-value', option, `${option}: ${file} holds no passphrase on its first line`);
  return line;
}

/**
 * Reads the launch options.
 * @throws LaunchOptionError naming the option at fault
 * @example parseLaunchOptions(['--data', 'w', '--tor', 'system'], { defaultDataDir: './data' }).engine
 *          // { dataDir: 'w', socks: { host: '127.0.0.1', port: 9050, label: 'system-tor' } }
 */
export function parseLaunchOptions(argv: readonly string[], settings: LaunchSettings): Launch {
  const { values, positionals } = parse(argv, settings);
  const v = values as Record<string, unknown>;
  if (!settings.port && v.port !== undefined && !settings.lenient) throw new LaunchOptionError('unknown-option', '--port', 'unknown option --port');
  const meter = meterSource(text(v, 'serial'), text(v, 'meter'), text(v, 'line'), text(v, 'meter-keys'));
  const portText = settings.port ? text(v, 'port') : undefined;
  const [uc, mint] = [text(v, 'uc'), text(v, 'mint')];
  const torrc = text(v, 'torrc');
  const secretFile = text(v, 'passphrase-file');
  if (torrc !== undefined && text(v, 'tor') !== 'managed') throw new LaunchOptionError('conflict', '--torrc', '--torrc goes with --tor managed');
  const engine: EngineOptions = {
    dataDir: text(v, 'data') ?? settings.defaultDataDir,
    ...(uc !== undefined ? { ucUrl: baseUrl('--uc', uc, 'utility') } : {}),
    ...(mint !== undefined ? { mintUrl: baseUrl('--mint', mint, 'mint') } : {}),
    ...proxy(text(v, 'socks'), text(v, 'socks-label'), text(v, 'tor')),
    ...(torrc !== undefined ? { tor: { torrc: torrcLines(torrc) } } : {}),
    ...(secretFile !== undefined ? { unlock: { kind: 'passphrase', passphrase: readPassphraseFile(secretFile) } } : {}),
    ...meter,
  };
  const periodText = text(v, 'period');
  if (periodText !== undefined && !/^\d{1,10}$/.test(periodText)) throw bad('--period', 'wants a period number');
  return { engine, json: v.json === true, port: portText === undefined ? 0 : port('--port', portText, 0), words: positionals,
    period: periodText === undefined ? null : Number(periodText) };
}
