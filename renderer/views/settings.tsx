/**
 * Settings and About: theme, meter, utility and mint, proxy, prices, notifications, versions, data folder, the
 * engine's log (redacted by the engine) and the window's own log (nothing private).
 */
import { useEffect, useState } from 'preact/hooks';
import type { LogLine } from '../../main/api/index.js';
import { LANGUAGE_NAMES, LANGUAGES, rich, t, type Language } from '../i18n/index.js';
import { formatDate, formatFingerprint } from '../state/format.js';
import { CallFailed, Card } from './parts.js';
import { MeterForm } from './meter-form.js';
import { RestoreForm } from './restore-form.js';
import { ProxyForm } from './proxy-form.js';
import { TariffForm } from './tariff-form.js';
import { savedLanguage } from './language.js';
import { applyTheme, savedTheme, type Theme } from './theme.js';
import { UtilityForm } from './utility-form.js';
import { SmallSetWarning, anonymitySetText } from './anonymity.js';
import { useApp, useCall } from './context.js';

const LOG_LINES = 200;

function EngineLog() {
  const { api } = useApp();
  const [lines, setLines] = useState<LogLine[] | null>(null);
  const call = useCall();
  const load = () => void call.run(api.getLogs(LOG_LINES), setLines);
  useEffect(load, []);
  return (
    <>
      <p class="muted">{t('settings.engineLogText')}</p>
      <p><button type="button" class="secondary" disabled={call.busy} onClick={load}>{t('settings.refreshLog')}</button></p>
      <CallFailed error={call.error} />
      {lines !== null && (lines.length === 0 ? <p>{t('settings.nothingLogged')}</p> : (
        <ol class="log" aria-label={t('settings.engineLog')} tabIndex={0}>
          {[...lines].reverse().map((l, i) => (
            <li key={`${l.at}-${i}`}>
              <span class="muted">{formatDate(l.at, { timeStyle: 'medium' })}</span> <span class={`level ${l.level}`}>{l.level}</span> {l.message}
            </li>
          ))}
        </ol>
      ))}
    </>
  );
}

export function Settings() {
  const { state, chooseLanguage } = useApp();
  const status = state.status!;
  const [theme, setTheme] = useState<Theme>(savedTheme());
  const [lang, setLang] = useState<Language | 'system'>(savedLanguage());
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <Card title={t('settings.appearance')}>
        <label for="language">{t('settings.language')}</label>
        <select id="language" value={lang} onChange={(e) => {
          const l = e.currentTarget.value as Language | 'system';
          setLang(l);
          chooseLanguage(l);
        }}>
          <option value="system">{t('settings.asSystem')}</option>
          {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
        </select>
        <label for="theme">{t('settings.theme')}</label>
        <select id="theme" value={theme} onChange={(e) => {
          const t = e.currentTarget.value as Theme;
          setTheme(t);
          applyTheme(t);
        }}>
          <option value="system">{t('settings.asSystem')}</option>
          <option value="light">{t('settings.light')}</option>
          <option value="dark">{t('settings.dark')}</option>
        </select>
      </Card>
      <Card title={t('settings.notifications')}>
        <p>{t('settings.notificationsText')}</p>
        {permission === 'default' && (
          <button type="button" class="secondary" onClick={() => void Notification.requestPermission().then(setPermission)}>
            {t('settings.allowNotifications')}
          </button>
        )}
        {permission === 'granted' && <p>{t('settings.notificationsOn')}</p>}
        {permission === 'denied' && <p>{t('settings.notificationsBlocked')}</p>}
      </Card>
      {(status.recovery?.state === 'needed' || status.recovery?.state === 'failed') && (
        <Card title={t('settings.restore')}>
          <RestoreForm />
        </Card>
      )}
      <Card title={t('settings.meter')}>
        <MeterForm probe={false} />
      </Card>
      <Card title={t('settings.utilityAndMint')}>
        <UtilityForm />
      </Card>
      <Card title={t('settings.tor')}>
        <ProxyForm />
      </Card>
      <Card title={t('settings.prices')}>
        {state.tariff === null ? <p>{t('common.loading')}</p> : <TariffForm tariff={state.tariff} />}
      </Card>
      <Card title={t('settings.about')}>
        <dl>
          <dt>{t('settings.version')}</dt>
          <dd>{t('app.name')} {status.version}</dd>
          <dt>{t('settings.dataFolder')}</dt>
          <dd><code>{status.dataDir}</code></dd>
          <dt>{t('settings.utility')}</dt>
          <dd>
            {rich('settings.utilityKey', { code: (c) => <code>{c}</code> }, { url: status.utility.url, fingerprint: formatFingerprint(status.utility.fingerprint) })}
            {status.utility.pinnedAt !== null && t('settings.pinnedOn', { date: formatDate(status.utility.pinnedAt, { dateStyle: 'medium' }) })}
          </dd>
          <dt>{t('settings.anonymitySet')}</dt>
          <dd>{anonymitySetText(status.utility.anonymitySets)}</dd>
          <dt>{t('settings.mint')}</dt>
          <dd><code>{status.wallet.mintUrl}</code></dd>
        </dl>
        <SmallSetWarning sets={status.utility.anonymitySets} />
      </Card>
      <Card title={t('settings.engineLog')}>
        <EngineLog />
      </Card>
      <Card title={t('settings.activityLog')}>
        <p class="muted">{t('settings.activityLogText')}</p>
        {state.log.length === 0 ? <p>{t('settings.nothingYet')}</p> : (
          <ol aria-label={t('settings.activityLog')}>
            {state.log.slice(-50).reverse().map((l, i) => (
              <li key={`${l.at}-${i}`}>
                <span class="muted">{formatDate(l.at, { timeStyle: 'short' })}</span> {l.text}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
