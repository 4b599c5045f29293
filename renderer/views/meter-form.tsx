/**
 * Choosing where the meter is read: a serial port (the one that speaks P1 found and preselected, at the line settings
 * it was heard at), a meter on the network (an address), the demo meter, or none.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MeterChoice, MeterEncryption, MeterLine, MeterView, SerialPortView } from '../../main/api/index.js';
import { useApp, useCall } from './context.js';
import { MeterKeysFields } from './meter-keys.js';
import { CallFailed } from './parts.js';

const LINES: Record<MeterLine, { label: string; short: string }> = {
  dsmr4: { label: 'DSMR 4/5, e-MUCS or Sipster (115200 baud, with CRC)', short: 'DSMR 4/5, 115200 baud' },
  dsmr22: { label: 'DSMR 2.2/3.0, older (9600 baud 7E1, no CRC)', short: 'DSMR 2.2/3.0, 9600 baud 7E1' },
};

const FRAMINGS = { raw: 'DLMS frames at 115200 baud', hdlc: 'HDLC at 115200 baud', mbus: 'M-Bus at 2400 baud 8E1' } as const;

const keyOf = (s: MeterView['source']) => (s.kind === 'port' ? `port:${s.path}` : s.kind);

function describePort(p: SerialPortView): string {
  const names = [p.manufacturer, p.product].filter((x) => x !== null).join(' ');
  const heard = p.speaksP1 === true ? ` — meter found (${LINES[p.line ?? 'dsmr4'].short})` : p.speaksP1 === false ? ' — no P1 data heard' : '';
  return `${p.path}${names ? ` (${names})` : ''}${heard}`;
}

function describeSource(s: MeterView['source']): string {
  switch (s.kind) {
    case 'port': return `${s.path} (${s.framing ? `encrypted, ${FRAMINGS[s.framing]}` : LINES[s.line].short})`;
    case 'network': return `${s.address} (${s.line === 'dsmr22' ? 'DSMR 2.2/3.0, no CRC' : 'DSMR 4/5'})`;
    case 'demo': return 'the demo meter';
    case 'none': return 'no meter chosen';
  }
}

/** `probe`: listen on the ports at once (onboarding); otherwise only when asked (“Look again”). */
export function MeterForm({ probe = true }: { probe?: boolean }) {
  const { api, state, dispatch } = useApp();
  const meter = state.status!.meter;
  const [ports, setPorts] = useState<SerialPortView[] | null>(null);
  const [chosen, setChosen] = useState<string>(keyOf(meter.source));
  const [line, setLine] = useState<MeterLine>('line' in meter.source ? meter.source.line : 'dsmr4');
  const [address, setAddress] = useState(meter.source.kind === 'network' ? meter.source.address : '');
  const [dlms, setDlms] = useState<MeterEncryption | null>(null);
  const look = useCall();
  const use = useCall();

  const choosePort = (p: SerialPortView) => {
    setChosen(`port:${p.path}`);
    if (p.line !== null) setLine(p.line);
  };
  const search = (listen = true) =>
    void look.run(api.listPorts(listen), (found) => {
      setPorts(found);
      // Preselect the port that speaks P1 (a real meter beats the demo), unless a meter is already in use.
      const p1 = found.find((p) => p.speaksP1 === true);
      if (meter.source.kind !== 'port' && meter.source.kind !== 'network' && p1) choosePort(p1);
    });
  useEffect(() => search(probe), []);

  const choiceOf = (key: string): MeterChoice =>
    key.startsWith('port:') ? { kind: 'port', path: key.slice(5), line } : key === 'network' ? { kind: 'network', address: address.trim(), line } : { kind: key as 'demo' | 'none' };
  const options: { key: string; label: string; port?: SerialPortView }[] = [
    ...(ports ?? []).map((p) => ({ key: `port:${p.path}`, label: describePort(p), port: p })),
    { key: 'network', label: 'My meter is on the network (a Wi-Fi P1 dongle, ser2net, ESPHome, or a HomeWizard P1 meter)' },
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
        {look.busy && <p role="status">Listening on each serial port for the meter (a few seconds; up to 15 s for an older DSMR 2.2/3.0 meter)…</p>}
        {ports !== null && ports.length === 0 && <p>No serial port was found. Plug the P1 cable into the meter and this computer, then look again.</p>}
        {options.map((o) => (
          <div key={o.key}>
            <input type="radio" id={`meter-${o.key}`} name="meter" value={o.key} checked={chosen === o.key} onChange={() => (o.port ? choosePort(o.port) : setChosen(o.key))} />{' '}
            <label for={`meter-${o.key}`} class="inline">{o.label}</label>
          </div>
        ))}
        {chosen === 'network' && (
          <div>
            <label for="meter-address">Address of the meter on the network</label>
            <input id="meter-address" value={address} placeholder="tcp://192.168.1.20:2001" spellcheck={false} autocomplete="off"
              onInput={(e) => setAddress(e.currentTarget.value)} />
            <p class="muted">
              A P1 dongle, ser2net or ESPHome's stream server: <code>tcp://ADDRESS:PORT</code>. A HomeWizard P1 meter:{' '}
              <code>homewizard://ADDRESS</code> (turn its local API on in the HomeWizard Energy app). The meter is read straight
              over your home network, not through Tor: its readings are not a payment and stay on this computer.
            </p>
          </div>
        )}
        {(chosen.startsWith('port:') || chosen === 'network') && (
          <div>
            <label for="meter-line">Kind of meter</label>
            <select id="meter-line" value={line} onChange={(e) => setLine(e.currentTarget.value as MeterLine)}>
              {(Object.keys(LINES) as MeterLine[]).map((l) => <option key={l} value={l}>{LINES[l].label}</option>)}
            </select>
          </div>
        )}
        {chosen.startsWith('port:') && <MeterKeysFields value={dlms} onChange={setDlms} />}
        <p class="row">
          <button type="submit" class="secondary" disabled={use.busy || look.busy}>Use this meter</button>
          <button type="button" class="secondary" disabled={look.busy} onClick={() => search()}>Look again</button>
        </p>
        <p role="status">
          Now: <strong>{describeSource(meter.source)}</strong>
          {meter.source.kind !== 'none' && (meter.state === 'receiving' ? ' — data is arriving from the meter.' : meter.state === 'waiting' ? ' — waiting for data.' : ' — disconnected.')}
        </p>
        <CallFailed error={use.error ?? look.error} />
      </fieldset>
    </form>
  );
}
