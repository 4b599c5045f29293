/**
 * The passphrase prompt (issue 14 §1): shown while the host holds the engine locked. An existing wallet asks once; a
 * new one asks twice, and the passphrase chosen becomes its key. The field never echoes, and nothing keeps it.
 * @module
 */
import { useState } from 'preact/hooks';
import type { BridgedApi, EngineStatus, LockView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';
import { useCall } from './context.js';

export function Unlock({ api, lock, onUnlocked }: { api: BridgedApi; lock: LockView; onUnlocked: (s: EngineStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [differ, setDiffer] = useState(false);
  const call = useCall();
  const fresh = lock.newWallet;
  return (
    <main>
      <h1>{t('app.name')}</h1>
      <form
        aria-labelledby="unlock-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (fresh && passphrase !== again) return setDiffer(true);
          setDiffer(false);
          void call.run(api.unlock(passphrase), onUnlocked).then((s) => s === null && setPassphrase(''));
        }}
      >
        <h2 id="unlock-title">{t(fresh ? 'unlock.titleNew' : 'unlock.title')}</h2>
        <p>
          {t(fresh ? 'unlock.introNew' : 'unlock.intro')}
        </p>
        <label for="unlock-passphrase">{t('unlock.passphrase')}</label>
        <input id="unlock-passphrase" type="password" required autocomplete={fresh ? 'new-password' : 'current-password'}
          value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        {fresh && (
          <>
            <label for="unlock-again">{t('unlock.again')}</label>
            <input id="unlock-again" type="password" required autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          </>
        )}
        <p class="row">
          <button type="submit" class="primary" disabled={call.busy || passphrase === ''}>{t(fresh ? 'unlock.create' : 'unlock.unlock')}</button>
          {call.busy && <span class="muted" role="status">{t('unlock.checking')}</span>}
        </p>
        {differ && <p class="note bad" role="alert">{t('unlock.differ')}</p>}
        {call.error !== null && <p class="note bad" role="alert">{t('unlock.failed', { message: call.error.message })}</p>}
      </form>
    </main>
  );
}
