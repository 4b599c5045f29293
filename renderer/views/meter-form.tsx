/**
 * Choosing where the meter is read: a serial port (the one that speaks P1 found and preselected, at the line settings
 * it was heard at), a meter on the network (an address), the demo meter, or none.
 */
import { useEffect, useState } from 'preact/hooks';
import type { MeterChoice, MeterEncryption, MeterLine, MeterView, SerialPortView } from '../../main/api/index.js';
import { rich, t } from '../i18n/index.js';
import { useApp, useCall } from './context.js';
import { MeterKeysFields } from './meter-keys.js';
import { CallFailed } from './parts.js';

const LINES = {
  dsmr4: { label: 'meter.line.dsmr4', short: 'meter.line.dsmr4.short' },
  dsmr22: { label: 'meter.line.dsmr22', short: 'meter.line.dsmr22.short' },
} as const satisfies Record<MeterLine, unknown>;

const FRAMINGS = { raw: 'meter.framing.raw', hdlc: 'meter.framing.hdlc', mbus: 'meter.framing.mbus' } as const;

const keyOf = (s: MeterView['source']) => (s.kind === 'port' ? `port:${s.path}` : s.kind);

function describePort(p: SerialPortView): string {
  const names = [p.manufacturer, p.product].filter((x) => x !== null).join(' ');
  const heard = p.speaksP1 === true ? t('meter.port.found', { line: t(LINES[p.line ?? 'dsmr4'].short) }) : p.speaksP1 === false ? t('meter.port.silent') : '';
  return `${p.path}${names ? ` (${names})` : ''}${heard}`;
}

function describeSource(s: MeterView['source']): string {
  switch (s.kind) {
    case 'port': return s.framing ? t('meter.source.encrypted', { path: s.path, framing: t(FRAMINGS[s.framing]) }) : t('meter.source.port', { path: s.path, line: t(LINES[s.line].short) });
    case 'network': return t(s.line === 'dsmr22' ? 'meter.source.network22' : 'meter.source.network', { address: s.address });
    case 'demo': return t('meter.source.demo');
    case 'none': return t('meter.source.none');
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
    { key: 'network', label: t('meter.option.network') },
    { key: 'demo', label: t('meter.option.demo') },
    { key: 'none', label: t('meter.option.none') },
  ];
  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      const choice = choiceOf(chosen);
      void use.run(api.chooseMeter(choice.kind === 'port' && dlms ? { ...choice, dlms } : choice), (m) => dispatch({ kind: 'event', event: { kind: 'meter', meter: m }, at: Date.now() }));
    }}>
      <fieldset class="card">
        <legend>{t('meter.legend')}</legend>
        {look.busy && <p role="status">{t('meter.listening')}</p>}
        {ports !== null && ports.length === 0 && <p>{t('meter.noPort')}</p>}
        {options.map((o) => (
          <div key={o.key}>
            <input type="radio" id={`meter-${o.key}`} name="meter" value={o.key} checked={chosen === o.key} onChange={() => (o.port ? choosePort(o.port) : setChosen(o.key))} />{' '}
            <label for={`meter-${o.key}`} class="inline">{o.label}</label>
          </div>
        ))}
        {chosen === 'network' && (
          <div>
            <label for="meter-address">{t('meter.address')}</label>
            <input id="meter-address" value={address} placeholder="tcp://192.168.1.20:2001" spellcheck={false} autocomplete="off"
              onInput={(e) => setAddress(e.currentTarget.value)} />
            <p class="muted">{rich('meter.addressHelp', { code: (c) => <code>{c}</code> })}</p>
          </div>
        )}
        {(chosen.startsWith('port:') || chosen === 'network') && (
          <div>
            <label for="meter-line">{t('meter.kind')}</label>
            <select id="meter-line" value={line} onChange={(e) => setLine(e.currentTarget.value as MeterLine)}>
              {(Object.keys(LINES) as MeterLine[]).map((l) => <option key={l} value={l}>{t(LINES[l].label)}</option>)}
            </select>
          </div>
        )}
        {chosen.startsWith('port:') && <MeterKeysFields value={dlms} onChange={setDlms} />}
        <p class="row">
          <button type="submit" class="secondary" disabled={use.busy || look.busy}>{t('meter.use')}</button>
          <button type="button" class="secondary" disabled={look.busy} onClick={() => search()}>{t('meter.lookAgain')}</button>
        </p>
        <p role="status">
          {rich('meter.now', { strong: (c) => <strong>{c}</strong> }, { source: describeSource(meter.source) })}
          {meter.source.kind !== 'none' && t(`meter.state.${meter.state}`)}
        </p>
        <CallFailed error={use.error ?? look.error} />
      </fieldset>
    </form>
  );
}
