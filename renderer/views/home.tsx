/**
 * Home: live power, today's and this period's use and cost, the period chart. All of it stays on this computer.
 * The period's cost is exact (its tokens × the value of one unit); today's is estimated from the readings and the
 * prices per kWh. "Today" is the meter's day (its clock runs fast in the demo).
 */
import { formatAgo, formatEnergy, formatMoney, formatPower, formatUnits, tokensCost } from '../state/format.js';
import { bucketStart, estimatedCost, meterNow, totals } from '../state/series.js';
import { currentPeriod } from '../state/store.js';
import { CapacityCard } from './capacity-card.js';
import { PeriodChart } from './chart.js';
import { useApp } from './context.js';
import { Advice, Card, Stat } from './parts.js';

export function Home() {
  const { state } = useApp();
  const status = state.status!;
  const period = currentPeriod(state);
  const tariff = state.tariff;
  const offset = -new Date().getTimezoneOffset();
  const now = meterNow(state.readings, Date.now());
  const t = totals(state.readings, now, offset);
  const todayCost = tariff === null ? null : estimatedCost(state.readings, bucketStart(now, 'day', offset), tariff.perKWh);
  const units = period?.tokens ?? 0;
  return (
    <>
      <h1>Home</h1>
      {status.meter.state === 'disconnected' && <Advice code="meter-disconnected" />}
      <div class="grid">
        <Stat label="Power now" value={t.powerW === null ? '—' : formatPower(t.powerW)}
          hint={`${t.phasesW === null ? '' : `${t.phasesW.map((w, i) => `L${i + 1} ${w === null ? '—' : formatPower(w)}`).join(' · ')}. `}Last reading ${formatAgo(t.lastAt, Date.now())}`} />
        <Stat label="Today" value={formatEnergy(t.todayWh)} {...(todayCost === null ? {} : { hint: `about ${formatMoney(todayCost, tariff!.currency)} (estimated from the readings)` })} />
        <Stat label={period === null ? 'This period' : `Period ${period.period}`} value={formatEnergy(t.periodWh)} />
        <Stat label="Cost this period" value={tariff === null ? formatUnits(units) : tokensCost(units, tariff)}
          hint={`${formatUnits(units)}${period === null ? '' : `: ${period.paid} paid, ${period.queued} queued`}`} />
      </div>
      <Card title="This period">
        <PeriodChart readings={state.readings} periodUnits={units} />
      </Card>
      <CapacityCard />
      <p class="muted">Your readings stay on this computer. The utility only learns that each unit was paid, not when or by whom.</p>
    </>
  );
}
