/** Receive: paste a Cashu token of the wallet's mint; the engine swaps it at once, so the sender cannot spend it again. */
import { useState } from 'preact/hooks';
import type { ReceiveView } from '../../main/api/index.js';
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
    <Card title="Receive e-cash">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          if (filled) void call.run(api.receiveToken(text), (v) => { setDone(v); setText(''); });
        }}
      >
        <label for="receive-token">Cashu token (starts with cashuA or cashuB)</label>
        <textarea id="receive-token" rows={3} autocomplete="off" spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <p class="muted">Only e-cash of your wallet's mint is taken. It is exchanged with the mint at once, so whoever sent it cannot spend it again.</p>
        <button type="submit" class="primary" disabled={!filled || call.busy}>{call.busy ? 'Receiving…' : 'Receive'}</button>
      </form>
      {done !== null && (
        <p role="status">Received {formatUnits(done.amount)}. Your balance is now {formatUnits(done.balance)}.</p>
      )}
      <CallFailed error={call.error} />
    </Card>
  );
}
