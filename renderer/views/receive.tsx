/** Receive: paste a Cashu token of the wallet's mint; the engine swaps it at once, so the sender cannot spend it again. */
import { useState } from 'preact/hooks';
import type { ReceiveView } from '../../main/api/index.js';
import { t } from '../i18n/index.js';
import { formatUnits } from '../state/format.js';
import { useApp, useCall } from './context.js';
import { CallFailed, Card } from './parts.js';

export function ReceiveForm() {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [done, setDone] = useState<ReceiveView | null>(null);
  const call = useCall();
  const filled = text.trim() !== '';

  return (
    <Card title={t('receive.title')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          if (filled) void call.run(api.receiveToken(text), (v) => { setDone(v); setText(''); });
        }}
      >
        <label for="receive-token">{t('receive.token')}</label>
        <textarea id="receive-token" rows={3} autocomplete="off" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <p class="muted">{t('receive.text')}</p>
        <button type="submit" class="primary" disabled={!filled || call.busy}>{call.busy ? t('receive.busy') : t('receive.submit')}</button>
      </form>
      {done !== null && (
        <p role="status">{t('receive.done', { amount: formatUnits(done.amount), balance: formatUnits(done.balance) })}</p>
      )}
      <CallFailed error={call.error} />
    </Card>
  );
}
