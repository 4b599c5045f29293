/** Choosing how payments reach the utility: Sipster Home's own Tor (with its start-up progress), system Tor, Tor Browser, or a SOCKS port. */
import { useState } from 'preact/hooks';
import type { ProxyConfig } from '../../main/api/index.js';
import { rich, t } from '../i18n/index.js';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';

type Choice = 'managed' | 'system-tor' | 'tor-browser' | 'custom' | 'demo-hop';
const PRESETS: Record<'system-tor' | 'tor-browser', number> = { 'system-tor': 9050, 'tor-browser': 9150 };

export function ProxyForm() {
  const { api, state, dispatch } = useApp();
  const proxy = state.status!.proxy;
  const current = proxy.config.kind === 'socks' ? proxy.config : null;
  const [choice, setChoice] = useState<Choice>(proxy.config.kind === 'managed' ? 'managed' : (current?.label ?? 'managed'));
  const [host, setHost] = useState(current?.host ?? '127.0.0.1');
  const [port, setPort] = useState(String(current?.port ?? 9050));
  const call = useCall();
  const choices: Choice[] = [...(current?.label === 'demo-hop' ? ['demo-hop' as const] : []), 'managed', 'system-tor', 'tor-browser', 'custom'];
  const tor = proxy.tor;

  const config = (): ProxyConfig =>
    choice === 'managed' ? { kind: 'managed' } : choice === 'custom' || choice === 'demo-hop'
      ? { kind: 'socks', host, port: Number(port), label: choice }
      : { kind: 'socks', host: '127.0.0.1', port: PRESETS[choice], label: choice };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void call.run(api.setProxy(config()), (p) => dispatch({ kind: 'event', event: { kind: 'proxy', proxy: p }, at: Date.now() }));
      }}
    >
      <fieldset class="card">
        <legend>{t('proxy.legend')}</legend>
        {choices.map((c) => (
          <div key={c}>
            <input type="radio" id={`proxy-${c}`} name="proxy" value={c} checked={choice === c} onChange={() => setChoice(c)} />{' '}
            <label for={`proxy-${c}`} class="inline">{t(`proxy.${c}`)}</label>
          </div>
        ))}
        {choice === 'custom' && (
          <div class="row">
            <div>
              <label for="proxy-host">{t('proxy.host')}</label>
              <input id="proxy-host" value={host} onInput={(e) => setHost(e.currentTarget.value)} />
            </div>
            <div>
              <label for="proxy-port">{t('proxy.port')}</label>
              <input id="proxy-port" inputMode="numeric" value={port} onInput={(e) => setPort(e.currentTarget.value)} />
            </div>
          </div>
        )}
        <p>
          <button type="submit" class="secondary" disabled={call.busy}>{t('proxy.use')}</button>
        </p>
        <p role="status">
          {rich('proxy.now', { strong: (c) => <strong>{c}</strong> }, {
            state: t('proxy.state', { state: tor !== null && tor.state !== 'ready' ? (tor.state === 'failed' ? 'torFailed' : tor.state === 'stopped' ? 'torStopped' : 'torStarting') : proxy.state }),
          })}
          {proxy.reason !== null && ` — ${proxy.reason}`}
        </p>
        {tor !== null && tor.state !== 'ready' && (
          <div>
            <progress aria-label={t('proxy.startup')} max={100} value={tor.progress} />
            <p class="muted">{tor.progress} %{tor.summary !== null && ` — ${tor.summary}`}</p>
          </div>
        )}
        {proxy.state === 'working' && !proxy.anonymous && (
          <p class="note warn">{t('proxy.demoWarning')}</p>
        )}
        <CallFailed error={call.error} />
      </fieldset>
    </form>
  );
}
