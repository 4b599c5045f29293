/**
 * Settings and About: theme, meter, utility and mint, proxy, prices, notifications, versions, data folder, the
 * engine's log (redacted by the engine) and the window's own log (nothing private).
 */
import { useEffect, useState } from 'preact/hooks';
import type { LogLine } from '../../main/api/index.js';
import { formatFingerprint } from '../state/format.js';
import { CallFailed, Card } from './parts.js';
import { MeterForm } from './meter-form.js';
import { RestoreForm } from './restore-form.js';
import { ProxyForm } from './proxy-form.js';
import { TariffForm } from './tariff-form.js';
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
      <p class="muted">The engine's newest lines, for a bug report: states and reasons only, never tokens, receipts, e-cash or your phrase.</p>
      <p><button type="button" class="secondary" disabled={call.busy} onClick={load}>Refresh the log</button></p>
      <CallFailed error={call.error} />
      {lines !== null && (lines.length === 0 ? <p>Nothing logged yet.</p> : (
        <ol class="log" aria-label="Engine log" tabIndex={0}>
          {[...lines].reverse().map((l, i) => (
            <li key={`${l.at}-${i}`}>
              <span class="muted">{new Date(l.at).toLocaleTimeString('en-GB')}</span> <span class={`level ${l.level}`}>{l.level}</span> {l.message}
            </li>
          ))}
        </ol>
      ))}
    </>
  );
}

export function Settings() {
  const { state } = useApp();
  const status = state.status!;
  const [theme, setTheme] = useState<Theme>(savedTheme());
  const [permission, setPermission] = useState(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);
  return (
    <>
      <h1>Settings and About</h1>
      <Card title="Appearance">
        <label for="theme">Theme</label>
        <select id="theme" value={theme} onChange={(e) => {
          const t = e.currentTarget.value as Theme;
          setTheme(t);
          applyTheme(t);
        }}>
          <option value="system">As the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </Card>
      <Card title="Notifications">
        <p>Sipster Home tells you when the wallet runs low, a period is settled, or the meter is disconnected.</p>
        {permission === 'default' && (
          <button type="button" class="secondary" onClick={() => void Notification.requestPermission().then(setPermission)}>
            Allow notifications
          </button>
        )}
        {permission === 'granted' && <p>Notifications are on.</p>}
        {permission === 'denied' && <p>Notifications are blocked; allow them in your browser or system settings.</p>}
      </Card>
      {(status.recovery?.state === 'needed' || status.recovery?.state === 'failed') && (
        <Card title="Restore the wallet">
          <RestoreForm />
        </Card>
      )}
      <Card title="Meter">
        <MeterForm probe={false} />
      </Card>
      <Card title="Utility and mint">
        <UtilityForm />
      </Card>
      <Card title="Tor">
        <ProxyForm />
      </Card>
      <Card title="Prices">
        {state.tariff === null ? <p>Loading…</p> : <TariffForm tariff={state.tariff} />}
      </Card>
      <Card title="About">
        <dl>
          <dt>Version</dt>
          <dd>Sipster Home {status.version}</dd>
          <dt>Data folder</dt>
          <dd><code>{status.dataDir}</code></dd>
          <dt>Utility</dt>
          <dd><code>{status.utility.url}</code>, key <code>{formatFingerprint(status.utility.fingerprint)}</code>{status.utility.pinnedAt !== null && `, pinned ${new Date(status.utility.pinnedAt).toLocaleDateString()}`}</dd>
          <dt>Anonymity set</dt>
          <dd>{anonymitySetText(status.utility.anonymitySets)}</dd>
          <dt>Mint</dt>
          <dd><code>{status.wallet.mintUrl}</code></dd>
        </dl>
        <SmallSetWarning sets={status.utility.anonymitySets} />
      </Card>
      <Card title="Engine log">
        <EngineLog />
      </Card>
      <Card title="Activity log">
        <p class="muted">What this window saw since it opened: kinds of events and period numbers only, never tokens, receipts or e-cash.</p>
        {state.log.length === 0 ? <p>Nothing yet.</p> : (
          <ol aria-label="Activity log">
            {state.log.slice(-50).reverse().map((l, i) => (
              <li key={`${l.at}-${i}`}>
                <span class="muted">{new Date(l.at).toLocaleTimeString(undefined, { timeStyle: 'short' })}</span> {l.text}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
