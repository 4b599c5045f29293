/**
 * The engine's Tor (architecture.md §Deployment): either its own `tor` process, supervised (own data directory,
 * SocksPort and ControlPort on loopback, bootstrap progress as events, restart with backoff), or a tor the user
 * names (system tor 9050, Tor Browser 9150), attached to as it is.
 *
 * Fail closed: `route()` is null until tor reports "Bootstrapped 100%", and again as soon as our tor exits, so the
 * engine sends nothing while there is no working Tor. Every SocksPort the engine opens has IsolateSOCKSAuth, so the
 * fresh SOCKS credentials of each payment give it its own circuit.
 * @module
 */
import { join } from 'node:path';
import { type ControlAuth, TorControl } from './control-client.js';
import { type BootstrapPhase, parseBootstrap } from './control-protocol.js';
import { TorError } from './errors.js';
import { startTorProcess } from './tor-process.js';

export interface SocksEndpoint {
  host: string;
  port: number;
}

export type TorSource =
  /** The engine runs its own tor. `torrc`: extra lines (e.g. a private test network's client lines). */
  | { kind: 'own'; dataDir: string; torPath?: string; torrc?: readonly string[]; socksPort?: number }
  /** A tor the user runs; with a control port named, its bootstrap is followed too. */
  | { kind: 'attach'; socks: SocksEndpoint; controlPort?: number; auth?: ControlAuth };

export type TorEvent =
  | { kind: 'starting'; attempt: number }
  | { kind: 'bootstrap'; phase: BootstrapPhase }
  | { kind: 'ready'; socks: SocksEndpoint }
  | { kind: 'exited'; code: number | null; restartInMs: number }
  | { kind: 'start-failed'; message: string; restartInMs: number }
  | { kind: 'stopped' };

/** A running tor as the supervisor needs it; `runOwnTor` makes real ones, unit tests fake ones. */
export interface RunningTor {
  pid: number;
  socksPort: number;
  controlPort: number;
  cookieFile: string;
  control: Pick<TorControl, 'bootstrapPhase' | 'onEvent' | 'setEvents'>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

/** The wait before restart number `attempt` (0-based): initial·factor^attempt, capped. */
export function backoffDelay(attempt: number, b: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, attempt));
}

export interface SupervisorDeps {
  run?: (source: Extract<TorSource, { kind: 'own' }>, socksPort: number | 'auto') => Promise<RunningTor>;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  backoff?: Backoff;
}

export class TorSupervisor {
  private readonly listeners = new Set<(e: TorEvent) => void>();
  private readonly abort = new AbortController();
  private current: RunningTor | null = null;
  private ready: SocksEndpoint | null = null;
  private loop: Promise<void> | null = null;
  private readonly run;
  private readonly wait;
  private readonly backoff;

  constructor(private readonly source: TorSource, deps: SupervisorDeps = {}) {
    this.run = deps.run ?? runOwnTor;
    this.wait = deps.wait ?? abortableWait;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
  }

  /** The SOCKS endpoint to pay through, or null (fail closed) while tor is not bootstrapped. */
  route(): SocksEndpoint | null {
    return this.ready;
  }

  /** The running tor (own tor only): its PID, control port and cookie, e.g. to watch STREAM events. */
  running(): { pid: number; controlPort: number; cookieFile: string } | null {
    const t = this.current;
    return t ? { pid: t.pid, controlPort: t.controlPort, cookieFile: t.cookieFile } : null;
  }

  onEvent(listener: (e: TorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts supervising; returns at once. Follow `onEvent`, or await `whenReady`. */
  start(): void {
    if (this.loop) throw new Error('the supervisor is already started');
    const source = this.source;
    this.loop = source.kind === 'own' ? this.supervise(source) : this.attach(source);
  }

  /** Resolves with the SOCKS endpoint once tor is bootstrapped; rejects after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<SocksEndpoint> {
    if (this.ready) return Promise.resolve(this.ready);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { off(); reject(new TorError('timeout', `tor was not ready in ${timeoutMs} ms`)); }, timeoutMs);
      const off = this.onEvent((e) => {
        if (e.kind === 'ready') { clearTimeout(t); off(); resolve(e.socks); }
        if (e.kind === 'stopped') { clearTimeout(t); off(); reject(new TorError('tor-exited', 'the supervisor stopped')); }
      });
    });
  }

  /** Stops our tor (never a tor the user named) and the supervision. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.ready = null;
    await this.current?.stop();
    await this.loop;
  }

  private emit(e: TorEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async supervise(source: Extract<TorSource, { kind: 'own' }>): Promise<void> {
    let attempt = 0;
    let port: number | 'auto' = source.socksPort ?? 'auto';
    while (!this.abort.signal.aborted) {
      this.emit({ kind: 'starting', attempt });
      let tor: RunningTor;
      try {
        tor = await this.run(source, port);
      } catch (e) {
        port = source.socksPort ?? 'auto'; // a pinned port may be taken now
        const restartInMs = backoffDelay(attempt++, this.backoff);
        if (this.abort.signal.aborted) break;
        this.emit({ kind: 'start-failed', message: (e as Error).message, restartInMs });
        await this.wait(restartInMs, this.abort.signal);
        continue;
      }
      this.current = tor;
      port = tor.socksPort; // restarts keep the port the engine already knows
      if (this.abort.signal.aborted) break;
      const bootstrapped = () => {
        attempt = 0;
        this.ready = { host: '127.0.0.1', port: tor.socksPort };
        this.emit({ kind: 'ready', socks: this.ready });
      };
      await this.followBootstrap(tor.control, bootstrapped).catch(() => { /* tor is gone: `exited` says so */ });
      const code = await tor.exited;
      this.ready = null;
      this.current = null;
      if (this.abort.signal.aborted) break;
      const restartInMs = backoffDelay(attempt++, this.backoff);
      this.emit({ kind: 'exited', code, restartInMs });
      await this.wait(restartInMs, this.abort.signal);
    }
    await this.current?.stop();
    this.current = null;
    this.emit({ kind: 'stopped' });
  }

  /** Bootstrap events from STATUS_CLIENT, after one GETINFO (events come only on change). */
  private async followBootstrap(control: RunningTor['control'], onDone: () => void): Promise<void> {
    let done = false;
    const seen = (phase: BootstrapPhase) => {
      if (done) return;
      this.emit({ kind: 'bootstrap', phase });
      if (phase.progress === 100) { done = true; onDone(); }
    };
    control.onEvent((e) => {
      if (e.name !== 'STATUS_CLIENT') return;
      const phase = parseBootstrap(e.body);
      if (phase) seen(phase);
    });
    await control.setEvents(['STATUS_CLIENT']);
    seen(await control.bootstrapPhase());
  }

  private async attach(source: Extract<TorSource, { kind: 'attach' }>): Promise<void> {
    // The user's tor is theirs: not started, restarted or stopped here. Without a control port we take the
    // SOCKS port as ready; a dead port still fails closed in the route ('proxy-refused'). With one, we follow its
    // bootstrap, and reconnect with backoff when the control connection fails or closes.
    const stopped = new Promise((r) => this.abort.signal.addEventListener('abort', r));
    const ready = () => {
      this.ready = source.socks;
      this.emit({ kind: 'ready', socks: source.socks });
    };
    if (source.controlPort === undefined) {
      ready();
      await stopped;
    }
    for (let attempt = 0; !this.abort.signal.aborted;) {
      let control: TorControl | null = null;
      try {
        control = await TorControl.connect(source.controlPort!, source.socks.host);
        await control.authenticate(source.auth);
        await this.followBootstrap(control, () => { attempt = 0; ready(); });
        await Promise.race([control.closed, stopped]);
        if (this.abort.signal.aborted) break;
        throw new TorError('control-closed', 'the control connection of the named tor closed');
      } catch (e) {
        this.ready = null;
        if (this.abort.signal.aborted) break;
        const restartInMs = backoffDelay(attempt++, this.backoff);
        this.emit({ kind: 'start-failed', message: (e as Error).message, restartInMs });
        await this.wait(restartInMs, this.abort.signal);
      } finally {
        control?.close();
      }
    }
    this.ready = null;
    this.emit({ kind: 'stopped' });
  }
}

/** The engine's own tor: a client only, loopback only, every SOCKS credential pair on its own circuit. */
export async function runOwnTor(source: Extract<TorSource, { kind: 'own' }>, socksPort: number | 'auto'): Promise<RunningTor> {
  const tor = await startTorProcess({
    dataDir: source.dataDir,
    torPath: source.torPath,
    torrc: [`SocksPort 127.0.0.1:${socksPort} IsolateSOCKSAuth`, 'ClientOnly 1', ...(source.torrc ?? [])],
  });
  try {
    // tor exits when this control connection closes: an engine that dies takes its tor with it.
    await tor.control.command('TAKEOWNERSHIP');
    const listeners = (await tor.control.getInfo('net/listeners/socks'))['net/listeners/socks'] ?? '';
    const m = /127\.0\.0\.1:(\d+)/.exec(listeners);
    if (!m) throw new TorError('control-refused', 'tor reports no SOCKS listener');
    return {
      pid: tor.pid, socksPort: Number(m[1]), controlPort: tor.controlPort, cookieFile: join(tor.dataDir, 'control_auth_cookie'),
      control: tor.control, exited: tor.exited, stop: tor.stop,
    };
  } catch (e) {
    await tor.stop();
    throw e;
  }
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done);
  });
}
