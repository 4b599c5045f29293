/** Naming the utility (its key fingerprint shown and pinned) and the e-cash mint (default: the one the utility names). */
import { useState } from 'preact/hooks';
import { rich, t } from '../i18n/index.js';
import { formatDate, formatFingerprint } from '../state/format.js';
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
          <legend>{t('utility.legend')}</legend>
          <label for="utility-url">{t('utility.address')}</label>
          <div class="row">
            <input id="utility-url" type="url" size={40} autocomplete="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
            <button type="submit" class="secondary" disabled={pin.busy || url.trim() === ''}>{t('utility.use')}</button>
          </div>
          {pin.busy && <p role="status">{t('utility.asking')}</p>}
          <CallFailed error={pin.error} />
          <dl>
            <dt>{t('utility.fingerprint')}</dt>
            <dd><code>{formatFingerprint(status.utility.fingerprint)}</code></dd>
            {status.utility.pinnedAt !== null && (<><dt>{t('utility.pinned')}</dt><dd>{formatDate(status.utility.pinnedAt, { dateStyle: 'medium', timeStyle: 'short' })}</dd></>)}
          </dl>
        </fieldset>
      </form>
      <form onSubmit={(e) => {
        e.preventDefault();
        void mint.run(api.setMint(mintChoice === 'utility' ? null : mintUrl.trim()), (w) => dispatch({ kind: 'event', event: { kind: 'wallet', wallet: w }, at: Date.now() }));
      }}>
        <fieldset class="card">
          <legend>{t('mint.legend')}</legend>
          <div>
            <input type="radio" id="mint-utility" name="mint" checked={mintChoice === 'utility'} onChange={() => setMintChoice('utility')} />{' '}
            <label for="mint-utility" class="inline">{t('mint.utilitys')}</label>
          </div>
          <div>
            <input type="radio" id="mint-other" name="mint" checked={mintChoice === 'other'} onChange={() => setMintChoice('other')} />{' '}
            <label for="mint-other" class="inline">{t('mint.other')}</label>
          </div>
          {mintChoice === 'other' && (
            <div>
              <label for="mint-url">{t('mint.address')}</label>
              <input id="mint-url" type="url" size={40} value={mintUrl} onInput={(e) => setMintUrl(e.currentTarget.value)} />
            </div>
          )}
          <p><button type="submit" class="secondary" disabled={mint.busy}>{t('mint.use')}</button></p>
          <p role="status">{rich('mint.now', { code: (c) => <code>{c}</code> }, { url: status.wallet.mintUrl || t('mint.notKnown') })}</p>
          <CallFailed error={mint.error} />
        </fieldset>
      </form>
    </>
  );
}
