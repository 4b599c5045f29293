/** Naming the utility (its key fingerprint shown and pinned) and the e-cash mint (default: the one the utility names). */
import { useState } from 'preact/hooks';
import { formatFingerprint } from '../state/format.js';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';

export function UtilityForm() {
  const { api, state, dispatch } = useApp();
  const status = state.status!;
  const [url, setUrl] = useState(status.utility.url);
  const [mintChoice, setMintChoice] = useState<'utility' | 'other'>('utility');
  const [mintUrl, setMintUrl] = useState('');
  const pin = useCall();
  const mint = useCall();
  const refresh = () => void api.getStatus().then((r) => r.ok && dispatch({ kind: 'loaded-status', status: r.value }));

  return (
    <>
      <form onSubmit={(e) => {
        e.preventDefault();
        void pin.run(api.setUtility(url.trim()), refresh);
      }}>
        <fieldset class="card">
          <legend>Your utility</legend>
          <label for="utility-url">Utility address</label>
          <div class="row">
            <input id="utility-url" type="url" size={40} autocomplete="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
            <button type="submit" class="secondary" disabled={pin.busy || url.trim() === ''}>Use this utility</button>
          </div>
          {pin.busy && <p role="status">Asking the utility for its key, through the proxy…</p>}
          <CallFailed error={pin.error} />
          <dl>
            <dt>Key fingerprint</dt>
            <dd><code>{formatFingerprint(status.utility.fingerprint)}</code></dd>
            {status.utility.pinnedAt !== null && (<><dt>Pinned</dt><dd>{new Date(status.utility.pinnedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</dd></>)}
          </dl>
        </fieldset>
      </form>
      <form onSubmit={(e) => {
        e.preventDefault();
        void mint.run(api.setMint(mintChoice === 'utility' ? null : mintUrl.trim()), (w) => dispatch({ kind: 'event', event: { kind: 'wallet', wallet: w }, at: Date.now() }));
      }}>
        <fieldset class="card">
          <legend>Your e-cash mint</legend>
          <div>
            <input type="radio" id="mint-utility" name="mint" checked={mintChoice === 'utility'} onChange={() => setMintChoice('utility')} />{' '}
            <label for="mint-utility" class="inline">The mint your utility names (recommended)</label>
          </div>
          <div>
            <input type="radio" id="mint-other" name="mint" checked={mintChoice === 'other'} onChange={() => setMintChoice('other')} />{' '}
            <label for="mint-other" class="inline">Another mint</label>
          </div>
          {mintChoice === 'other' && (
            <div>
              <label for="mint-url">Mint address</label>
              <input id="mint-url" type="url" size={40} value={mintUrl} onInput={(e) => setMintUrl(e.currentTarget.value)} />
            </div>
          )}
          <p><button type="submit" class="secondary" disabled={mint.busy}>Use this mint</button></p>
          <p role="status">Now: <code>{status.wallet.mintUrl || 'not known yet'}</code></p>
          <CallFailed error={mint.error} />
        </fieldset>
      </form>
    </>
  );
}
