/**
 * P1 over the network (issue 13): a meter whose P1 port is in the hallway reaches the computer over the LAN.
 * - `tcp://HOST:PORT`: the raw serial bytes over TCP (ser2net, ESPHome's stream server, Wi-Fi P1 dongles). The
 *   bytes go through the same LinkReader as a serial port; a connection that closes, fails or stays silent longer
 *   than the watchdog allows is dropped (a half-read telegram counts as `truncated`) and reopened with backoff.
 * - `homewizard://HOST[:PORT]`: HomeWizard's P1 meter, local API v1, `GET /api/v1/telegram` once a second. It
 *   answers the last telegram it read (200, text/plain), 503 while it has none; each new telegram goes through the
 *   same reader, the same telegram read again is skipped.
 * A meter source is not a payment path: nothing here goes through the SOCKS proxy, and nothing is sent but the request.
 * @module
 */
import { type ClientRequest, request } from 'node:http';
import { type Socket, connect } from 'node:net';
import { LinkError } from './errors.js';
import { LinkReader } from './link-reader.js';
import type { SerialLink, SerialLinkOptions } from './serial-link.js';

export type NetworkSource = { kind: 'tcp'; host: string; port: number } | { kind: 'homewizard'; host: string; port: number };

export interface NetworkLinkOptions extends Omit<SerialLinkOptions, 'port' | 'watchMs'> {
  source: NetworkSource;
  /**
   * Watchdog, ms: a TCP stream silent this long is reopened; a HomeWizard meter answering the same telegram this
   * long is reported down until a new one comes. Every DSMR meter sends at least every 10 s.
   */
  silenceMs?: number;
  /** HomeWizard: how often the telegram is asked for (ms); after a failed request the pause doubles up to `backoff.max` (30 s). */
  pollMs?: number;
}

const HOMEWIZARD_PATH = '/api/v1/telegram';
/** A telegram is at most 16 KiB (the reader's limit); an answer far larger is not one. */
const MAX_ANSWER = 64 * 1024;

const badAddress = (why: string) =>
  new LinkError('bad-address', `${why}: a network meter is tcp://HOST:PORT (ser2net, ESPHome, Wi-Fi P1 dongles) or homewizard://HOST[:PORT] (HomeWizard P1 meter)`);

/**
 * Reads a network meter's address. `http://HOST[:PORT]/api/v1/telegram`, the URL HomeWizard documents, is taken as
 * `homewizard://HOST[:PORT]`.
 * @throws LinkError 'bad-address' when it is none of those forms.
 */
export function parseNetworkSource(address: string): NetworkSource {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw badAddress('not an address');
  }
  if (address.length > 512 || url.hostname === '' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    throw badAddress('not a host and port');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? null : Number(url.port);
  if (url.protocol === 'tcp:') {
    if (port === null || (url.pathname !== '' && url.pathname !== '/')) throw badAddress('a tcp:// address needs a port and no path');
    return { kind: 'tcp', host, port };
  }
  if (url.protocol === 'homewizard:' && (url.pathname === '' || url.pathname === '/')) return { kind: 'homewizard', host, port: port ?? 80 };
  if (url.protocol === 'http:' && url.pathname === HOMEWIZARD_PATH) return { kind: 'homewizard', host, port: port ?? 80 };
  throw badAddress(`${url.protocol}// is not a meter address`);
}

/** The address as the window and the wallet keep it (one spelling per source). */
export function networkAddress(s: NetworkSource): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return s.kind === 'tcp' ? `tcp://${host}:${s.port}` : `homewizard://${host}${s.port === 80 ? '' : `:${s.port}`}`;
}

/** Opens a network meter: reconnecting, through the same reader, counters and events as a serial port. */
export function openNetworkLink(opts: NetworkLinkOptions): SerialLink {
  const reader = new LinkReader({ ...opts, requireCrc: (opts.line ?? 'dsmr4') === 'dsmr4' });
  const counters = Object.assign(reader.counters, { reconnects: 0 });
  const deliver = ({ results, events }: ReturnType<LinkReader['push']>) => {
    for (const r of results) opts.onTelegram?.(r);
    for (const e of events) opts.onEvent?.(e);
  };
  return opts.source.kind === 'tcp' ? tcpLink(opts, opts.source, reader, counters, deliver) : homeWizardLink(opts, opts.source, reader, counters, deliver);
}

type Deliver = (pushed: ReturnType<LinkReader['push']>) => void;

function tcpLink(opts: NetworkLinkOptions, source: NetworkSource, reader: LinkReader, counters: SerialLink['counters'], deliver: Deliver): SerialLink {
  const backoff = opts.backoff ?? { initial: 250, max: 5_000 };
  const silenceMs = opts.silenceMs ?? 30_000;
  const where = networkAddress(source);
  let socket: Socket | null = null;
  let connected = false;
  let closed = false;
  let delay = backoff.initial;
  let timer: NodeJS.Timeout | undefined;
  let opens = 0;

  const drop = (s: Socket, reason: string) => {
    if (socket !== s) return;
    socket = null;
    connected = false;
    s.destroy();
    deliver(reader.end()); // a telegram cut mid-way is dropped as truncated; its bytes will not continue
    if (closed) return;
    opts.onStatus?.({ connected: false, reason });
    timer = setTimeout(open, delay);
    delay = Math.min(delay * 2, backoff.max);
  };

  function open(): void {
    timer = undefined;
    if (closed) return;
    const s = connect({ host: source.host, port: source.port });
    socket = s;
    s.setKeepAlive(true, 10_000);
    s.setTimeout(silenceMs, () => drop(s, 'no data from the meter'));
    s.on('connect', () => {
      if (socket !== s) return;
      connected = true;
      delay = backoff.initial;
      if (opens++ > 0) counters.reconnects++;
      opts.onStatus?.({ connected: true, path: where });
    });
    s.on('data', (chunk: Buffer) => socket === s && deliver(reader.push(chunk)));
    s.on('end', () => drop(s, 'connection closed'));
    s.on('close', () => drop(s, 'connection closed'));
    s.on('error', (e: NodeJS.ErrnoException) => drop(s, e.code === 'ECONNREFUSED' ? 'connection refused' : 'connection failed'));
  }

  open();
  return {
    counters,
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const s = socket;
      socket = null;
      connected = false;
      s?.destroy();
    },
  };
}

/** What the HomeWizard P1 meter's answers mean (api-documentation.homewizard.com, v1). */
function homeWizardReason(status: number): string {
  if (status === 503) return 'the HomeWizard P1 meter has no telegram from the meter yet';
  if (status === 403) return 'the local API is off: turn it on in the HomeWizard Energy app';
  if (status === 404) return 'no telegram API there: not a HomeWizard P1 meter, or its firmware is too old';
  return `the HomeWizard P1 meter answered HTTP ${status}`;
}

function homeWizardLink(opts: NetworkLinkOptions, source: NetworkSource, reader: LinkReader, counters: SerialLink['counters'], deliver: Deliver): SerialLink {
  const pollMs = opts.pollMs ?? 1_000;
  const maxDelay = opts.backoff?.max ?? 30_000;
  const where = networkAddress(source);
  const silenceMs = opts.silenceMs ?? 30_000;
  let connected = false;
  let closed = false;
  let delay = pollMs;
  let timer: NodeJS.Timeout | undefined;
  let last = '';
  let lastNewAt = Date.now();
  let reported: boolean | null = null;
  let opens = 0;
  const pending: { request: ClientRequest | null } = { request: null };

  /** Says so when the device starts or stops giving telegrams (a reason changing while down is not repeated). */
  const status = (up: boolean, reason: string) => {
    connected = up;
    if (up === reported) return;
    reported = up;
    if (up && opens++ > 0) counters.reconnects++;
    opts.onStatus?.(up ? { connected: true, path: where } : { connected: false, reason });
  };

  const fetchTelegram = () =>
    new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = request({ host: source.host, port: source.port, path: HOMEWIZARD_PATH, headers: { accept: 'text/plain' }, timeout: Math.max(pollMs * 3, 3_000) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('no answer')));
      req.on('error', reject);
      pending.request = req;
      req.end();
    });

  async function poll(): Promise<void> {
    timer = undefined;
    if (closed) return;
    let next = pollMs;
    try {
      const { status: code, body } = await fetchTelegram();
      if (closed) return;
      if (code === 200) {
        const text = body.toString('latin1');
        if (text !== last) {
          last = text;
          lastNewAt = Date.now();
          status(true, '');
          deliver(reader.push(body));
          deliver(reader.end()); // one whole telegram per answer: its last line need not end in CR LF
        } else if (Date.now() - lastNewAt > silenceMs) status(false, 'no new telegram from the meter'); // the watchdog
      } else if (code === 503) status(true, homeWizardReason(code)); // the device answers; the meter is silent
      else {
        status(false, homeWizardReason(code));
        next = delay = Math.min(delay * 2, maxDelay);
      }
      if (code === 200 || code === 503) delay = pollMs;
    } catch {
      if (closed) return;
      status(false, 'the HomeWizard P1 meter does not answer');
      next = delay = Math.min(delay * 2, maxDelay);
    }
    pending.request = null;
    if (!closed) timer = setTimeout(() => void poll(), next);
  }

  void poll();
  return {
    counters,
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      connected = false;
      clearTimeout(timer);
      pending.request?.destroy(new Error('closed'));
    },
  };
}
