/**
 * The bridge on a real serial port (issue 3): reads with the `serialport` package, feeds a LinkReader,
 * and keeps reading through unplug and replug. A port that closes or errors is reopened with backoff.
 * Because the binding sometimes neither errors nor closes after a pty or USB device disappears (it
 * spins on empty reads), the device path is watched too: when it vanishes or points at another
 * device, the port is closed and reopened. Nothing thrown by a telegram leaves the read loop. The port may also
 * be an in-process byte stream (the demo without socat): the same reader, counters and events, nothing to reopen.
 * @module
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { SerialPort } from 'serialport';
import { DlmsLinkReader } from './dlms-reader.js';
import { LinkReader, type LinkEvent, type LinkReaderOptions, type TelegramResult } from './link-reader.js';
import type { DlmsKeys } from '../protocol/index.js';
import { findPort } from './ports.js';

export type LineSettings = 'dsmr4' | 'dsmr22' | 'mbus';

export interface SerialLinkOptions extends Omit<LinkReaderOptions, 'requireCrc'> {
  /** A device path; or a USB id to look the port up with every (re)connect; or an in-process byte stream. */
  port: string | { vendorId: string; productId?: string } | { stream: Readable };
  /** 'dsmr4' (default): 115200 8N1, CRC required (DSMR ≥ 4 and Sipster). 'dsmr22': 9600 7E1, no CRC. 'mbus': 2400 8E1. */
  line?: LineSettings;
  /** An encrypted P1 or DLMS push meter: its keys; the framing (raw, M-Bus, HDLC) is found in the bytes. */
  dlms?: DlmsKeys;
  onEvent?: (event: LinkEvent) => void;
  onTelegram?: (result: TelegramResult) => void;
  /** Connection changes, for logs and the UI; never telegram content. */
  onStatus?: (status: { connected: boolean; path?: string; reason?: string }) => void;
  /** Reconnect backoff, ms (doubles up to max). */
  backoff?: { initial: number; max: number };
  /** How often the device path is checked, ms. */
  watchMs?: number;
}

export interface SerialLink {
  readonly counters: LinkReader['counters'] & { reconnects: number };
  readonly connected: boolean;
  close(): Promise<void>;
}

/** What each line setting opens a port with. */
export const LINE_SETTINGS = {
  dsmr4: { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 },
  dsmr22: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 },
  mbus: { baudRate: 2400, dataBits: 8, parity: 'even', stopBits: 1 }, // M-Bus DLMS push meters (Austrian Kaifa)
} as const;

/** What reads the bytes: a DSMR link, or an encrypted P1 / DLMS one. */
type Reader = Pick<LinkReader, 'push' | 'resync' | 'counters'>;

/** The device identity behind a path (symlinks followed): a replugged device gets a new one. */
async function deviceOf(path: string): Promise<string | null> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}:${s.rdev}`;
  } catch {
    return null;
  }
}

export function openSerialLink(opts: SerialLinkOptions): SerialLink {
  const line = opts.line ?? 'dsmr4';
  const reader: Reader = opts.dlms ? new DlmsLinkReader({ ...opts, dlms: opts.dlms }) : new LinkReader({ ...opts, requireCrc: line === 'dsmr4' });
  const counters = Object.assign(reader.counters, { reconnects: 0 });
  const backoff = opts.backoff ?? { initial: 250, max: 5_000 };
  let port: SerialPort | null = null;
  let device: string | null = null;
  let path: string | undefined;
  let closed = false;
  let delay = backoff.initial;
  let timer: NodeJS.Timeout | undefined;
  let opened = false;
  let opens = 0;

  const deliver = ({ results, events }: ReturnType<LinkReader['push']>) => {
    for (const r of results) opts.onTelegram?.(r);
    for (const e of events) opts.onEvent?.(e);
  };
  if (typeof opts.port === 'object' && 'stream' in opts.port) return readStream(opts.port.stream, reader, counters, deliver, opts);
  const where = opts.port;

  const schedule = (reason: string) => {
    if (closed || timer) return;
    opts.onStatus?.({ connected: false, reason });
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, backoff.max);
  };

  const drop = (reason: string) => {
    const p = port;
    port = null;
    opened = false;
    reader.resync();
    if (p?.isOpen) p.close(() => undefined);
    schedule(reason);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    try {
      path = typeof where === 'string' ? where : ((await findPort(where.vendorId, where.productId)) ?? undefined);
    } catch {
      path = undefined;
    }
    if (!path) return schedule('port not found');
    device = await deviceOf(path);
    if (!device || closed) return schedule('port not present');
    const p = new SerialPort({ path, ...LINE_SETTINGS[line], autoOpen: false });
    p.on('data', (chunk: Buffer) => port === p && deliver(reader.push(chunk))); // never bytes of a port given up
    p.on('close', () => port === p && drop('port closed'));
    p.on('error', () => port === p && drop('port error'));
    port = p;
    p.open((err) => {
      if (port !== p) return;
      if (err) return drop('open failed');
      if (closed) return void p.close(() => undefined);
      opened = true;
      delay = backoff.initial;
      if (opens++ > 0) counters.reconnects++;
      opts.onStatus?.({ connected: true, path: path! });
    });
  }

  const watch = setInterval(() => {
    if (!port || !path) return;
    const watched = port;
    void deviceOf(path).then((now) => {
      if (port === watched && now !== device) drop(now ? 'device replaced' : 'device gone');
    });
  }, opts.watchMs ?? 250);

  void connect();

  return {
    counters,
    get connected() {
      return opened;
    },
    async close() {
      closed = true;
      clearInterval(watch);
      clearTimeout(timer);
      const p = port;
      port = null;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
    },
  };
}

/** An in-process stream through the same reader; when it ends or fails the link is down for good. */
function readStream(stream: Readable, reader: Reader, counters: SerialLink['counters'],
  deliver: (pushed: ReturnType<LinkReader['push']>) => void, opts: SerialLinkOptions): SerialLink {
  let open = true;
  const onData = (chunk: Buffer) => open && deliver(reader.push(chunk));
  const onDown = (reason: string) => () => {
    if (!open) return;
    open = false;
    opts.onStatus?.({ connected: false, reason });
  };
  const [onEnd, onError] = [onDown('stream ended'), onDown('stream error')];
  stream.on('data', onData).once('end', onEnd).once('close', onEnd).once('error', onError);
  queueMicrotask(() => open && opts.onStatus?.({ connected: true, path: 'in-process' }));
  return {
    counters,
    get connected() {
      return open;
    },
    async close() {
      open = false;
      stream.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError).pause();
    },
  };
}
