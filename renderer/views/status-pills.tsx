/**
 * The always-visible status line (state/status.ts), the engine connection when it is lost, and under it, in plain
 * words, what stops work: storage, Tor starting, the utility's errors, a wallet recovery.
 */
import { pills, problems } from '../state/status.js';
import { useApp } from './context.js';
import { Advice } from './parts.js';

const RECOVERY_WORDS = {
  needed: 'The wallet file was damaged and set aside. Restore it with your recovery phrase in Settings.',
  restoring: 'Your wallet is being restored from the recovery phrase: e-cash from the mint, tokens from the meter, receipts from the utility.',
  restored: null,
  failed: 'Restoring the wallet failed.',
} as const;

export function StatusPills() {
  const { state } = useApp();
  if (state.status === null) return null;
  const r = state.status.recovery;
  const recoveryWords = r === null ? null : RECOVERY_WORDS[r.state];
  return (
    <>
      <ul class="pills" aria-label="Status">
        {pills(state.status).map((p) => (
          <li key={p.label} class={`pill ${p.tone}`}>
            {p.label}
          </li>
        ))}
        {state.connection === 'lost' && <li class="pill bad">Engine: connection lost</li>}
      </ul>
      {problems(state.status).map((p) => <Advice key={p.code} code={p.code} tone="warn" {...(p.detail ? { detail: p.detail } : {})} />)}
      {r !== null && recoveryWords !== null && (
        <div class={`note ${r.state === 'restoring' ? 'warn' : 'bad'}`} role="status">
          <p>{recoveryWords}{r.message !== null && ` ${r.message}`}</p>
        </div>
      )}
    </>
  );
}
