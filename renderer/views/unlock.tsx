/**
 * The passphrase prompt (issue 14 §1): shown while the host holds the engine locked. An existing wallet asks once; a
 * new one asks twice, and the passphrase chosen becomes its key. The field never echoes, and nothing keeps it.
 * @module
 */
import { useState } from 'preact/hooks';
import type { BridgedApi, EngineStatus, LockView } from '../../main/api/index.js';
import { useCall } from './context.js';

export function Unlock({ api, lock, onUnlocked }: { api: BridgedApi; lock: LockView; onUnlocked: (s: EngineStatus) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [differ, setDiffer] = useState(false);
  const call = useCall();
  const fresh = lock.newWallet;
  return (
    <main>
      <h1>Sipster Home</h1>
      <form
        aria-labelledby="unlock-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (fresh && passphrase !== again) return setDiffer(true);
          setDiffer(false);
          void call.run(api.unlock(passphrase), onUnlocked).then((s) => s === null && setPassphrase(''));
        }}
      >
        <h2 id="unlock-title">{fresh ? 'Choose a passphrase for your new wallet' : 'Unlock your wallet'}</h2>
        <p>
          {fresh
            ? 'The wallet is encrypted with this passphrase. Nobody can reset it: keep it safe, with your recovery phrase.'
            : 'Your wallet is encrypted. Enter its passphrase to start Sipster Home.'}
        </p>
        <label for="unlock-passphrase">Passphrase</label>
        <input id="unlock-passphrase" type="password" required autocomplete={fresh ? 'new-password' : 'current-password'}
          value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        {fresh && (
          <>
            <label for="unlock-again">The same passphrase again</label>
            <input id="unlock-again" type="password" required autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          </>
        )}
        <p class="row">
          <button type="submit" class="primary" disabled={call.busy || passphrase === ''}>{fresh ? 'Create the wallet' : 'Unlock'}</button>
          {call.busy && <span class="muted" role="status">Checking the passphrase…</span>}
        </p>
        {differ && <p class="note bad" role="alert">The two passphrases differ: type the same one twice.</p>}
        {call.error !== null && <p class="note bad" role="alert">Not unlocked: {call.error.message}.</p>}
      </form>
    </main>
  );
}
