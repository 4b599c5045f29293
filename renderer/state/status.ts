/**
 * The always-visible status line: meter, Tor, utility, and storage or recovery when they need saying, each in
 * words; the tone (colour) only repeats the words. `problems` names what deserves plain-words advice under it.
 * @module
 */
import type { ApiErrorCode, EngineStatus } from '../../main/api/index.js';

export type Tone = 'ok' | 'warn' | 'bad';

function torPill(s: EngineStatus): [string, Tone] | null {
  const t = s.proxy.tor;
  if (t === null || t.state === 'ready') return null;
  if (t.state === 'failed') return ['Tor: could not start', 'bad'];
  if (t.state === 'stopped') return ['Tor: stopped', 'bad'];
  return [`Tor: starting (${t.progress} %)`, 'warn'];
}

export function pills(s: EngineStatus): { label: string; tone: Tone }[] {
  const meter: Record<EngineStatus['meter']['state'], [string, Tone]> = {
    receiving: ['Meter: receiving', 'ok'],
    waiting: s.meter.source.kind === 'none' ? ['Meter: not chosen', 'warn'] : ['Meter: waiting for data', 'warn'],
    disconnected: ['Meter: disconnected', 'bad'],
  };
  const proxy: Record<EngineStatus['proxy']['state'], [string, Tone]> = {
    working: [s.proxy.anonymous ? 'Tor: ready' : 'Proxy: working (not anonymous)', s.proxy.anonymous ? 'ok' : 'warn'],
    untested: ['Tor: not tested yet', 'warn'],
    refused: ['Tor: not ready', 'bad'],
    unconfigured: ['Tor: not set up', 'bad'],
  };
  const utility: Record<EngineStatus['utility']['state'], [string, Tone]> = {
    reachable: s.queue.blockedBy === 'uc-error' ? ['Utility: answers with errors', 'warn'] : ['Utility: reachable', 'ok'],
    unknown: ['Utility: not contacted yet', 'warn'],
    unreachable: ['Utility: unreachable', 'warn'],
    'key-changed': ['Utility: key changed!', 'bad'],
    'mint-changed': ['Utility: mint changed!', 'bad'],
    'params-inconsistent': ['Utility: answers differ by circuit!', 'bad'],
  };
  const list: [string, Tone][] = [meter[s.meter.state], torPill(s) ?? proxy[s.proxy.state], utility[s.utility.state]];
  if (s.storage.state === 'disk-full') list.push(['Storage: disk full', 'bad']);
  if (s.storage.state === 'locked') list.push(['Storage: wallet file locked', 'bad']);
  const r = s.recovery;
  if (r !== null) {
    const words: Record<typeof r.state, [string, Tone]> = {
      needed: ['Wallet: recovery needed', 'bad'],
      restoring: ['Wallet: restoring', 'warn'],
      restored: ['Wallet: restored', 'ok'],
      failed: ['Wallet: recovery failed', 'bad'],
    };
    list.push(words[r.state]);
  }
  return list.map(([label, tone]) => ({ label, tone }));
}

/** Problems the household should read about in full (storage first: nothing is saved meanwhile). */
export function problems(s: EngineStatus): { code: ApiErrorCode; detail?: string }[] {
  const out: { code: ApiErrorCode; detail?: string }[] = [];
  if (s.storage.state !== 'ok') out.push({ code: s.storage.state === 'disk-full' ? 'disk-full' : 'database-locked', ...(s.storage.reason ? { detail: s.storage.reason } : {}) });
  if (s.proxy.tor !== null && s.proxy.tor.state !== 'ready') out.push({ code: 'tor-not-ready', ...(s.proxy.reason ? { detail: s.proxy.reason } : {}) });
  if (s.queue.blockedBy === 'uc-error') out.push({ code: 'uc-error' });
  return out;
}
