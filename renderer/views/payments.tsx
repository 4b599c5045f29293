/** Payments: tokens received, queued, paid with verified receipts; why nothing moves, and what to do. */
import { describeQueue, explain } from '../state/format.js';
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
      <h1>Payments</h1>
      {queue.blockedBy !== null && <Advice code={queue.blockedBy} />}
      {queue.blockedBy === null && proxy.state === 'refused' && <Advice code="proxy-refused" detail={proxy.reason ?? undefined} />}
      {meter.state === 'disconnected' && <Advice code="meter-disconnected" tone="warn" />}
      <div class="grid">
        <Stat label="Tokens received this period" value={String(period?.tokens ?? 0)} />
        <Stat label="Paid, receipt verified" value={String(period?.paid ?? 0)} />
        <Stat label="Queued" value={String(queue.scheduled + queue.paying)} hint={describeQueue(queue)} />
        <Stat label="Held (alarms)" value={String(queue.alarms)} />
      </div>
      {queue.alarms > 0 && (
        <Card title="Held payments">
          <p>Some payments are held because something looked wrong. Read the alarms below, then retry.</p>
          <button type="button" class="primary" disabled={retry.busy}
            onClick={() => void retry.run(api.retryAlarms(), () => dispatch({ kind: 'dismiss-alarms' }))}>
            Retry held payments
          </button>
          <CallFailed error={retry.error} />
        </Card>
      )}
      {state.alarms.length > 0 && (
        <Card title="Alarms">
          <ul>
            {state.alarms.map((a) => (
              <li key={a.at}>
                <strong>{explain(a.code).problem}</strong> {explain(a.code).action}
                <span class="muted"> ({new Date(a.at).toLocaleTimeString(undefined, { timeStyle: 'short' })})</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Since this window opened">
        <p>{state.session.received} {state.session.received === 1 ? 'token' : 'tokens'} received. Each payment leaves at a random time over its own Tor circuit, so the utility cannot link them.</p>
      </Card>
    </>
  );
}
