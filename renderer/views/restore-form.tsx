/** "I have a seed phrase": the 12 words typed in, the wallet rebuilt, the progress from the engine's recovery events. */
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';


export function RestoreForm() {
  const { api, state, dispatch } = useApp();
  const recovery = state.status!.recovery;
  const [text, setText] = useState('');
  const call = useCall();
  const words = text.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      void call.run(api.restoreWallet(words), (r) => dispatch({ kind: 'event', event: { kind: 'recovery', recovery: r }, at: Date.now() }));
    }}>
      <label for="restore-words">{t('restore.words')}</label>
      <textarea id="restore-words" rows={3} cols={60} autocomplete="off" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <p class="row">
        <button type="submit" class="primary" disabled={call.busy || words.length !== 12 || recovery?.state === 'restoring'}>{t('restore.submit')}</button>
        <span class="muted">{t('restore.count', { count: words.length })}</span>
      </p>
      <CallFailed error={call.error} />
      {recovery !== null && (
        <div role="status">
          <p>{t(`restore.state.${recovery.state}`)}{recovery.message !== null && ` ${recovery.message}`}</p>
          {recovery.state === 'restoring' && <progress aria-label={t('restore.progress')} />}
          {recovery.state === 'restored' && (
            <p>{t('restore.found', { proofs: recovery.proofs, tokens: recovery.tokens, receipts: recovery.receipts })}</p>
          )}
        </div>
      )}
    </form>
  );
}
