/** The always-visible line: meter, Tor, utility, wallet; each in words, the colour only repeats it. */
import type { EngineStatus } from '../../main/api/index.js';
import { useApp } from './context.js';

type Tone = 'ok' | 'warn' | 'bad';

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

export function StatusPills() {
  const { state } = useApp();
  if (state.status === null) return null;
  return (
    <ul class="pills" aria-label="Status">
      {pills(state.status).map((p) => (
        <li key={p.label} class={`pill ${p.tone}`}>
          {p.label}
        </li>
      ))}
      {state.connection === 'lost' && <li class="pill bad">Engine: connection lost</li>}
    </ul>
  );
}
