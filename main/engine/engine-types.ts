/**
 * What `createEngine()` takes and gives: its options and the engine's surface beyond the typed API.
 * @module
 */
import type { LinkEvent, MeterKeys, SerialLinkOptions } from '../../bridge/index.js';
import type { CurveBackend } from '../../protocol/index.js';
import type { EngineApi, EngineEvent, ProxyConfig } from '../api/index.js';
import type { Logger } from './log.js';

export interface EngineOptions {
  /** Where the wallet lives (created if missing). */
  dataDir: string;
  /** The utility's base URL; remembered in the wallet once given. */
  ucUrl?: string;
  /** The mint's base URL; default: the one the UC names in /v1/params. */
  mintUrl?: string;
  /** The SOCKS5 proxy; remembered once given. `anonymous: false` for the demo's built-in hop. */
  socks?: { host: string; port: number; label?: Extract<ProxyConfig, { kind: 'socks' }>['label'] } | null;
  /** The meter's serial port (a path, a USB id, or an in-process stream) and the keys pinned at installation. */
  serial?: { port: SerialLinkOptions['port']; keys?: MeterKeys };
  /** The host's demo meter, for `chooseMeter({kind: 'demo'})`; read at start when nothing else is chosen or given. */
  demoMeter?: { port: SerialLinkOptions['port']; keys?: MeterKeys };
  /** Delay before a token is paid (ms); the hardened scheduler plugs in here. Default: uniform in [0, 10 s). */
  payDelayMs?: () => number;
  /** Payments in flight at once, each on its own connection (default 4). */
  payConcurrency?: number;
  /** How often the engine works through its queue (ms). */
  tickMs?: number;
  /** Curve implementation for receipts and settlement; default: the fastest available (native blst). */
  backend?: CurveBackend;
  log?: Logger;
}

export interface Engine extends EngineApi {
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** Feeds one event of the link (the serial link does this itself when `serial` is given). */
  ingest(event: LinkEvent): void;
  /** Runs one round of work now (pay what is due, settle what is ready); resolves when done. */
  runOnce(): Promise<void>;
  close(): Promise<void>;
}
