/**
 * What `createEngine()` takes and gives: its options and the engine's surface beyond the typed API.
 * @module
 */
import type { LinkEvent, MeterKeys, SerialLinkOptions } from '../../bridge/index.js';
import type { CurveBackend } from '../../protocol/index.js';
import type { EngineApi, EngineEvent, MeterLine, ProxyConfig } from '../api/index.js';
import type { Logger } from './log.js';
import type { Billing } from './timing/index.js';
import type { WalletUnlock } from './vault/index.js';
import type { Db } from './wallet/index.js';

export interface EngineOptions {
  /** Where the wallet lives (created if missing). */
  dataDir: string;
  /**
   * The wallet's key: a passphrase (scrypt) or the key the OS keeps (the Electron app's safeStorage). Without it, or
   * with one that is not the wallet's, `createEngine` rejects with 'wallet-locked' and nothing is sent.
   */
  unlock?: WalletUnlock;
  /** The utility's base URL; remembered in the wallet once given. */
  ucUrl?: string;
  /** The mint's base URL; default: the one the UC names in /v1/params. */
  mintUrl?: string;
  /**
   * How requests leave, remembered once given (wins over `socks`): `{kind: 'managed'}` runs the engine's own tor
   * (data in `<dataDir>/tor`, nothing sent until it has bootstrapped), a named SOCKS5 proxy, or none.
   */
  proxy?: ProxyConfig;
  /** The SOCKS5 proxy; remembered once given. `anonymous: false` for the demo's built-in hop. Same as `proxy` kind 'socks'. */
  socks?: { host: string; port: number; label?: Extract<ProxyConfig, { kind: 'socks' }>['label'] } | null;
  /** The engine's own tor (proxy `managed`): the binary (default: findTor) and extra torrc lines, e.g. a private test network's client lines. */
  tor?: { torPath?: string; torrc?: readonly string[] };
  /** The meter's billing calendar, in this computer's time: the timing policy scales with it. Default 30 days, grace 5 days. */
  billing?: Billing;
  /** Automatic top-ups, decoupled from payments: buy `units` (a round amount) when fewer than `lowWater` 1-unit proofs are left. */
  topUp?: { units: number; lowWater: number };
  /** The meter's serial port (a path, a USB id, or an in-process stream), its line settings and the keys pinned at installation. */
  serial?: { port: SerialLinkOptions['port']; keys?: MeterKeys; line?: MeterLine };
  /** Instead of a port: a meter on the network (CLI --meter), read at start as the window's `{ kind: 'network' }` choice. */
  network?: { address: string; keys?: MeterKeys; line?: MeterLine };
  /** The host's demo meter, for `chooseMeter({kind: 'demo'})`; read at start when nothing else is chosen or given. */
  demoMeter?: { port: SerialLinkOptions['port']; keys?: MeterKeys };
  /**
   * Tests and benchmarks only: pay each token this long (ms) after it arrived, `payConcurrency` at once, and settle as
   * soon as the bill and every receipt are in. It gives K away by timing; without it the timing policy applies
   * (docs/timing-privacy.md: one payment at a time, settlement at a time drawn per period).
   */
  payDelayMs?: () => number;
  /** Payments in flight at once with `payDelayMs`, each on its own connection (default 4). */
  payConcurrency?: number;
  /** How often the engine works through its queue (ms). */
  tickMs?: number;
  /** Curve implementation for receipts and settlement; default: the fastest available (native blst). */
  backend?: CurveBackend;
  /**
   * The seed phrase of a wallet that was lost or damaged: the engine rebuilds it (docs/engine.md §Recovery) into a
   * new wallet, or resumes that recovery when the wallet is the one restored from these words.
   */
  restoreSeed?: string[];
  log?: Logger;
  /** The wallet connection once opened: tests set `PRAGMA max_page_count` on it to make the file refuse to grow. */
  onWalletOpen?: (db: Db) => void;
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
