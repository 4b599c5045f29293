/** Payments: tokens received, queued, paid with verified receipts; why nothing moves, and what to do. */
import { t } from '../i18n/index.js';
import { describeQueue, explain, formatDate, formatNumber } from '../state/format.js';
import { currentPeriod } from '../state/store.js';
import { useApp, useCall } from './context.js';
import { Advice, CallFailed, Card, Stat } from './parts.js';

export function Payments() {
  const { api, state, dispatch } = useApp();
  const { queue, meter, proxy } = state.status!;
  const period = currentPeriod(state);
  const retry = useCall();
  return (
    <>
      <h1>{t('nav.payments')}</h1>
      {queue.blockedBy !== null && <Advice code={queue.blockedBy} />}
      {queue.blockedBy === null && proxy.state === 'refused' && <Advice code="proxy-refused" detail={proxy.reason ?? undefined} />}
      {meter.state === 'disconnected' && <Advice code="meter-disconnected" tone="warn" />}
      <div class="grid">
        <Stat label={t('payments.received')} value={formatNumber(period?.tokens ?? 0, 0)} />
        <Stat label={t('payments.paid')} value={formatNumber(period?.paid ?? 0, 0)} />
        <Stat label={t('payments.queued')} value={formatNumber(queue.scheduled + queue.paying, 0)} hint={describeQueue(queue)} />
        <Stat label={t('payments.held')} value={formatNumber(queue.alarms, 0)} />
      </div>
      {queue.alarms > 0 && (
        <Card title={t('payments.heldTitle')}>
          <p>{t('payments.heldText')}</p>
          <button type="button" class="primary" disabled={retry.busy}
            onClick={() => void retry.run(api.retryAlarms(), () => dispatch({ kind: 'dismiss-alarms' }))}>
            {t('payments.retry')}
          </button>
          <CallFailed error={retry.error} />
        </Card>
      )}
      {state.alarms.length > 0 && (
        <Card title={t('payments.alarms')}>
          <ul>
            {state.alarms.map((a) => (
              <li key={a.at}>
                <strong>{explain(a.code).problem}</strong> {explain(a.code).action}
                <span class="muted"> ({formatDate(a.at, { timeStyle: 'short' })})</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={t('payments.sinceOpened')}>
        <p>{t('payments.session', { count: state.session.received })}</p>
      </Card>
    </>
  );
}
