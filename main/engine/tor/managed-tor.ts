/**
 * The engine's own tor as the window sees it (proxy `managed`): a supervisor over `<dataDir>/tor`, its events folded
 * into one TorView (state, bootstrap progress, tor's own words). The route is the supervisor's: null until
 * "Bootstrapped 100%" and whenever tor is down, so the engine sends nothing then (fail closed).
 * @module
 */
import type { TorView } from '../../api/index.js';
import { type SocksEndpoint, type SupervisorDeps, type TorEvent, TorSupervisor } from './supervisor.js';

export interface ManagedTorOptions {
  dataDir: string;
  torPath?: string;
  /** Extra torrc lines, e.g. a private test network's client lines (scripts/tor-network). */
  torrc?: readonly string[];
}

export class ManagedTor {
  private current: TorView = { state: 'starting', progress: 0, summary: null };
  private readonly supervisor: TorSupervisor;

  /** Starts tor at once; `onView` hears every change of the view. */
  constructor(o: ManagedTorOptions, onView: (view: TorView) => void, deps?: SupervisorDeps) {
    this.supervisor = new TorSupervisor({ kind: 'own', ...o }, deps);
    this.supervisor.onEvent((e) => {
      this.current = nextTorView(this.current, e);
      onView(this.current);
    });
    this.supervisor.start();
  }

  get view(): TorView {
    return this.current;
  }

  /** The SOCKS endpoint, or null (fail closed) while tor is not bootstrapped. */
  route(): SocksEndpoint | null {
    return this.supervisor.route();
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }
}

/** One supervisor event applied to the view. */
export function nextTorView(v: TorView, e: TorEvent): TorView {
  switch (e.kind) {
    case 'starting':
      // A failure keeps saying why while the next try runs; after an exit it is a restart.
      if (v.state === 'failed') return v;
      return { state: e.attempt === 0 ? 'starting' : 'restarting', progress: 0, summary: v.state === 'restarting' ? v.summary : null };
    case 'bootstrap':
      return { state: 'bootstrapping', progress: e.phase.progress, summary: e.phase.warning ?? e.phase.summary };
    case 'ready':
      return { state: 'ready', progress: 100, summary: null };
    case 'exited':
      return { state: 'restarting', progress: 0, summary: `tor exited; starting it again in ${Math.ceil(e.restartInMs / 1000)} s` };
    case 'start-failed':
      return { state: 'failed', progress: 0, summary: e.message };
    case 'stopped':
      return { state: 'stopped', progress: 0, summary: null };
  }
}
