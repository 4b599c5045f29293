/**
 * The always-visible status line (state/status.ts), the engine connection when it is lost, and under it, in plain
 * words, what stops work: storage, Tor starting, the utility's errors, a wallet recovery.
 */
import { t } from '../i18n/index.js';
import { pills, problems } from '../state/status.js';
import { useApp } from './context.js';
import { Advice } from './parts.js';

const RECOVERY_WORDS = {
  needed: 'pills.recovery.needed',
  restoring: 'pills.recovery.restoring',
  restored: null,
  failed: 'pills.recovery.failed',
} as const;

export function StatusPills() {
  const { state } = useApp();
  if (state.status === null) return null;
  const r = state.status.recovery;
  const recoveryWords = r === null ? null : RECOVERY_WORDS[r.state];
  return (
    <>
      <ul class="pills" aria-label={t('pills.label')}>
        {pills(state.status).map((p) => (
          <li key={p.label} class={`pill ${p.tone}`}>
            {p.label}
          </li>
        ))}
        {state.connection === 'lost' && <li class="pill bad">{t('pills.connectionLost')}</li>}
      </ul>
      {problems(state.status).map((p) => <Advice key={p.code} code={p.code} tone="warn" {...(p.detail ? { detail: p.detail } : {})} />)}
      {r !== null && recoveryWords !== null && (
        <div class={`note ${r.state === 'restoring' ? 'warn' : 'bad'}`} role="status">
          <p>{t(recoveryWords)}{r.message !== null && ` ${r.message}`}</p>
        </div>
      )}
    </>
  );
}
