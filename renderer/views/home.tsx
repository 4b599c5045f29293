/** Home: live power, today's and this period's use and cost, the period chart. All of it stays on this computer. */
import { formatAgo, formatEnergy, formatPower, formatUnits } from '../state/format.js';
import { totals } from '../state/series.js';
import { currentPeriod } from '../state/store.js';
import { PeriodChart } from './chart.js';
import { useApp } from './context.js';
import { Advice, Card, Stat } from './parts.js';

export function Home() {
  const { state } = useApp();
  const status = state.status!;
  const period = currentPeriod(state);
  const t = totals(state.readings, Date.now(), -new Date().getTimezoneOffset());
  return (
    <>
      <h1>Home</h1>
      {status.meter.state === 'disconnected' && <Advice code="meter-disconnected" />}
      <div class="grid">
        <Stat label="Power now" value={t.powerW === null ? '—' : formatPower(t.powerW)} hint={`Last reading ${formatAgo(t.lastAt, Date.now())}`} />
        <Stat label="Today" value={formatEnergy(t.todayWh)} />
        <Stat label={period === null ? 'This period' : `Period ${period.period}`} value={formatEnergy(t.periodWh)} />
        <Stat label="Cost this period" value={formatUnits(period?.tokens ?? 0)} hint={period === null ? undefined : `${period.paid} paid, ${period.queued} queued`} />
      </div>
      <Card title="This period">
        <PeriodChart readings={state.readings} periodUnits={period?.tokens ?? 0} />
      </Card>
      <p class="muted">Your readings stay on this computer. The utility only learns that each unit was paid, not when or by whom.</p>
    </>
  );
}
