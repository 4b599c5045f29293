/** The always-visible status line: meter, Tor, utility, each in words; the tone (colour) only repeats the words. */
import type { EngineStatus } from '../../main/api/index.js';

export type Tone = 'ok' | 'warn' | 'bad';

export function pills(s: EngineStatus): { label: string; tone: Tone }[] {
  const meter: Record<EngineStatus['meter']['state'], [string, Tone]> = {
    receiving: ['Meter: receiving', 'ok'],
    waiting: ['Meter: waiting for data', 'warn'],
    disconnected: ['Meter: disconnected', 'bad'],
  };
  const proxy: Record<EngineStatus['proxy']['state'], [string, Tone]> = {
    working: [s.proxy.anonymous ? 'Tor: ready' : 'Proxy: working (not anonymous)', s.proxy.anonymous ? 'ok' : 'warn'],
    untested: ['Tor: not tested yet', 'warn'],
    refused: ['Tor: not ready', 'bad'],
    unconfigured: ['Tor: not set up', 'bad'],
  };
  const utility: Record<EngineStatus['utility']['state'], [string, Tone]> = {
    reachable: ['Utility: reachable', 'ok'],
    unknown: ['Utility: not contacted yet', 'warn'],
    unreachable: ['Utility: unreachable', 'warn'],
    'key-changed': ['Utility: key changed!', 'bad'],
  };
  return [meter[s.meter.state], proxy[s.proxy.state], utility[s.utility.state]].map(([label, tone]) => ({ label, tone }));
}
