/** "I have a seed phrase": the 12 words typed in, the wallet rebuilt, the progress from the engine's recovery events. */
import { useState } from 'preact/hooks';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';

const STATE_WORDS = {
  needed: 'Waiting for your recovery phrase.',
  restoring: 'Restoring: asking the mint for your e-cash, the meter for its tokens, the utility for its receipts…',
  restored: 'Restored.',
  failed: 'Restoring failed.',
} as const;

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
      <label for="restore-words">Your 12 words, in order, separated by spaces</label>
      <textarea id="restore-words" rows={3} cols={60} autocomplete="off" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <p class="row">
        <button type="submit" class="primary" disabled={call.busy || words.length !== 12 || recovery?.state === 'restoring'}>Restore my wallet</button>
        <span class="muted">{words.length} of 12 words</span>
      </p>
      <CallFailed error={call.error} />
      {recovery !== null && (
        <div role="status">
          <p>{STATE_WORDS[recovery.state]}{recovery.message !== null && ` ${recovery.message}`}</p>
          {recovery.state === 'restoring' && <progress aria-label="Restoring the wallet" />}
          {recovery.state === 'restored' && (
            <p>Found again: {recovery.proofs} e-cash proofs, {recovery.tokens} tokens from the meter, {recovery.receipts} receipts from the utility.</p>
          )}
        </div>
      )}
    </form>
  );
}
