/** Choosing where the meter is read: a serial port (the one that speaks P1 found and preselected), the demo meter, or none. */
import { useEffect, useState } from 'preact/hooks';
import type { MeterChoice, MeterEncryption, SerialPortView } from '../../main/api/index.js';
import { useApp, useCall } from './context.js';
import { MeterKeysFields } from './meter-keys.js';
import { CallFailed } from './parts.js';

const keyOf = (c: MeterChoice) => (c.kind === 'port' ? `port:${c.path}` : c.kind);
const choiceOf = (key: string): MeterChoice => (key.startsWith('port:') ? { kind: 'port', path: key.slice(5) } : { kind: key as 'demo' | 'none' });

function describePort(p: SerialPortView): string {
  const names = [p.manufacturer, p.product].filter((x) => x !== null).join(' ');
  const heard = p.speaksP1 === true ? ' — meter found (P1 data heard)' : p.speaksP1 === false ? ' — no P1 data heard' : '';
  return `${p.path}${names ? ` (${names})` : ''}${heard}`;
}

/** `probe`: listen on the ports at once (onboarding); otherwise only when asked (“Look again”). */
export function MeterForm({ probe = true }: { probe?: boolean }) {
  const { api, state, dispatch } = useApp();
  const meter = state.status!.meter;
  const [ports, setPorts] = useState<SerialPortView[] | null>(null);
  const [chosen, setChosen] = useState<string>(keyOf(meter.source));
  const [dlms, setDlms] = useState<MeterEncryption | null>(null);
  const look = useCall();
  const use = useCall();

  const search = (listen = true) =>
    void look.run(api.listPorts(listen), (found) => {
      setPorts(found);
      // Preselect the port that speaks P1 (a real meter beats the demo), unless a port is already in use.
      const p1 = found.find((p) => p.speaksP1 === true);
      if (meter.source.kind !== 'port' && p1) setChosen(`port:${p1.path}`);
    });
  useEffect(() => search(probe), []);

  const options: { key: string; label: string }[] = [
    ...(ports ?? []).map((p) => ({ key: `port:${p.path}`, label: describePort(p) })),
    { key: 'demo', label: 'The demo meter (simulated data, for trying Sipster Home)' },
    { key: 'none', label: 'No meter for now' },
  ];
  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      const choice = choiceOf(chosen);
      void use.run(api.chooseMeter(choice.kind === 'port' && dlms ? { ...choice, dlms } : choice), (m) => dispatch({ kind: 'event', event: { kind: 'meter', meter: m }, at: Date.now() }));
    }}>
      <fieldset class="card">
        <legend>Where the meter is read</legend>
        {look.busy && <p role="status">Listening on each serial port for the meter (a few seconds)…</p>}
        {ports !== null && ports.length === 0 && <p>No serial port was found. Plug the P1 cable into the meter and this computer, then look again.</p>}
        {options.map((o) => (
          <div key={o.key}>
            <input type="radio" id={`meter-${o.key}`} name="meter" value={o.key} checked={chosen === o.key} onChange={() => setChosen(o.key)} />{' '}
            <label for={`meter-${o.key}`} class="inline">{o.label}</label>
          </div>
        ))}
        {chosen.startsWith('port:') && <MeterKeysFields value={dlms} onChange={setDlms} />}
        <p class="row">
          <button type="submit" class="secondary" disabled={use.busy || look.busy}>Use this meter</button>
          <button type="button" class="secondary" disabled={look.busy} onClick={() => search()}>Look again</button>
        </p>
        <p role="status">
          Now: <strong>{meter.source.kind === 'port' ? meter.source.path : meter.source.kind === 'demo' ? 'the demo meter' : 'no meter chosen'}</strong>
          {meter.source.kind !== 'none' && (meter.state === 'receiving' ? ' — data is arriving from the meter.' : meter.state === 'waiting' ? ' — waiting for data.' : ' — disconnected.')}
        </p>
        <CallFailed error={use.error ?? look.error} />
      </fieldset>
    </form>
  );
}
