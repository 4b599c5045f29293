/**
 * The always-visible status line: meter, Tor, utility, and storage or recovery when they need saying, each in
 * words; the tone (colour) only repeats the words. `problems` names what deserves plain-words advice under it.
 * @module
 */
import type { ApiErrorCode, EngineStatus } from '../../main/api/index.js';
import { t } from '../i18n/index.js';

export type Tone = 'ok' | 'warn' | 'bad';

function torPill(s: EngineStatus): [string, Tone] | null {
  const tor = s.proxy.tor;
  if (tor === null || tor.state === 'ready') return null;
  if (tor.state === 'failed') return [t('pill.tor.failed'), 'bad'];
  if (tor.state === 'stopped') return [t('pill.tor.stopped'), 'bad'];
  return [t('pill.tor.starting', { progress: tor.progress }), 'warn'];
}

export function pills(s: EngineStatus): { label: string; tone: Tone }[] {
  const meter: Record<EngineStatus['meter']['state'], [string, Tone]> = {
    receiving: [t('pill.meter.receiving'), 'ok'],
    waiting: s.meter.source.kind === 'none' ? [t('pill.meter.notChosen'), 'warn'] : [t('pill.meter.waiting'), 'warn'],
    disconnected: [t('pill.meter.disconnected'), 'bad'],
  };
  const proxy: Record<EngineStatus['proxy']['state'], [string, Tone]> = {
    working: [s.proxy.anonymous ? t('pill.proxy.ready') : t('pill.proxy.notAnonymous'), s.proxy.anonymous ? 'ok' : 'warn'],
    untested: [t('pill.proxy.untested'), 'warn'],
    refused: [t('pill.proxy.refused'), 'bad'],
    unconfigured: [t('pill.proxy.unconfigured'), 'bad'],
  };
  const utility: Record<EngineStatus['utility']['state'], [string, Tone]> = {
    reachable: s.queue.blockedBy === 'uc-error' ? [t('pill.utility.errors'), 'warn'] : [t('pill.utility.reachable'), 'ok'],
    unknown: [t('pill.utility.unknown'), 'warn'],
    unreachable: [t('pill.utility.unreachable'), 'warn'],
    'key-changed': [t('pill.utility.keyChanged'), 'bad'],
    'mint-changed': [t('pill.utility.mintChanged'), 'bad'],
    'params-inconsistent': [t('pill.utility.paramsInconsistent'), 'bad'],
  };
  const list: [string, Tone][] = [meter[s.meter.state], torPill(s) ?? proxy[s.proxy.state], utility[s.utility.state]];
  if (s.storage.state === 'disk-full') list.push([t('pill.storage.diskFull'), 'bad']);
  if (s.storage.state === 'locked') list.push([t('pill.storage.locked'), 'bad']);
  const r = s.recovery;
  if (r !== null) {
    const words: Record<typeof r.state, [string, Tone]> = {
      needed: [t('pill.recovery.needed'), 'bad'],
      restoring: [t('pill.recovery.restoring'), 'warn'],
      restored: [t('pill.recovery.restored'), 'ok'],
      failed: [t('pill.recovery.failed'), 'bad'],
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
