/** The prices used to show cost: what one unit (one token) is worth, and the price per kWh of each tariff register. */
import { useState } from 'preact/hooks';
import type { TariffView } from '../../main/api/index.js';
import { t, type MessageKey } from '../i18n/index.js';
import { useApp, useCall } from './context.js';
import { CallFailed } from './parts.js';

const SOURCE_WORDS: Record<TariffView['source'], MessageKey> = {
  default: 'tariff.source.default',
  user: 'tariff.source.user',
  utility: 'tariff.source.utility',
};

export function TariffForm({ tariff }: { tariff: TariffView }) {
  const { api, dispatch } = useApp();
  const [currency, setCurrency] = useState(tariff.currency);
  const [unit, setUnit] = useState(String(tariff.tokenValue));
  const [prices, setPrices] = useState(tariff.perKWh.map(String));
  const call = useCall();
  const num = (x: string) => Number(x.replace(',', '.'));
  const valid = /^[A-Za-z]{3}$/.test(currency) && num(unit) > 0 && prices.every((p) => p.trim() !== '' && num(p) >= 0);
  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      if (valid) void call.run(api.setTariff({ currency, tokenValue: num(unit), perKWh: prices.map(num) }), (t) => dispatch({ kind: 'loaded-tariff', tariff: t }));
    }}>
      <p class="muted">{t('tariff.text', { source: t(SOURCE_WORDS[tariff.source]) })}</p>
      <div class="row">
        <div>
          <label for="tariff-currency">{t('tariff.currency')}</label>
          <input id="tariff-currency" size={4} value={currency} aria-invalid={!/^[A-Za-z]{3}$/.test(currency)} onInput={(e) => setCurrency(e.currentTarget.value)} />
        </div>
        <div>
          <label for="tariff-unit">{t('tariff.unitValue')}</label>
          <input id="tariff-unit" inputMode="decimal" size={8} value={unit} aria-invalid={!(num(unit) > 0)} onInput={(e) => setUnit(e.currentTarget.value)} />
        </div>
        {prices.map((p, i) => (
          <div key={i}>
            <label for={`tariff-kwh-${i + 1}`}>{t('tariff.perKwh', { n: i + 1 })}</label>
            <input id={`tariff-kwh-${i + 1}`} inputMode="decimal" size={8} value={p}
              onInput={(e) => setPrices(prices.map((q, j) => (j === i ? e.currentTarget.value : q)))} />
          </div>
        ))}
        <button type="submit" class="secondary" disabled={!valid || call.busy}>{t('tariff.save')}</button>
      </div>
      <CallFailed error={call.error} />
    </form>
  );
}
