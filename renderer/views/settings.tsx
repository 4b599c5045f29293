/** Settings and About: theme, proxy, notifications, versions, data folder, and the window's own log (nothing private). */
import { useState } from 'preact/hooks';
import { formatFingerprint } from '../state/format.js';
import { Card } from './parts.js';
import { ProxyForm } from './proxy-form.js';
import { applyTheme, savedTheme, type Theme } from './theme.js';
import { useApp } from './context.js';

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
      <Card title="Tor">
        <ProxyForm />
      </Card>
      <Card title="About">
        <dl>
          <dt>Version</dt>
          <dd>Sipster Home {status.version}</dd>
          <dt>Data folder</dt>
          <dd><code>{status.dataDir}</code></dd>
          <dt>Utility</dt>
          <dd><code>{status.utility.url}</code>, key <code>{formatFingerprint(status.utility.fingerprint)}</code>{status.utility.pinnedAt !== null && `, pinned ${new Date(status.utility.pinnedAt).toLocaleDateString()}`}</dd>
          <dt>Mint</dt>
          <dd><code>{status.wallet.mintUrl}</code></dd>
        </dl>
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
